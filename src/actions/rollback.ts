import type { KcContext } from '../context.js';
import { applyStaged } from '../kube/apply.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import type { ReleaseRecord, RevisionSummary } from '../release/index.js';
import type { ClusterSession } from './cluster-session.js';
import { deleteOwned, type LeftObject } from '../kube/owned-delete.js';
import { staleRefs } from '../operation/inventory.js';
import { runOperation, type OperationOptions, type OperationResult } from './release-operation.js';
import { applyOptions } from './revision-apply-options.js';
import { rollbackRevisions } from './rollback-target.js';
import type { ClusterOptions } from './release-options.js';

/** Options of `kc rollback`. */
export interface RollbackOptions extends ClusterOptions, OperationOptions {
  release: string;
  /** Revision to return to; default the one before the latest. */
  revision?: number;
  /** Show what the rollback would apply and delete (client), validated by the API server (server), changing nothing. */
  dryRun?: 'client' | 'server';
}

/** What a rollback would do, from `--dry-run`: nothing was locked, applied, deleted or recorded. */
export interface RollbackPreview {
  release: string;
  namespace: string;
  /** The revision whose manifest would be applied again. */
  to: number;
  /** The objects it would apply: as stored (client), or as the API server would store them (server). */
  objects: KubeObject[];
  /** Objects of the latest revision that the rollback would delete (none when the latest was uninstalled). */
  prune: ObjectRef[];
  /** Objects it would leave, not being the release's (live). */
  left: LeftObject[];
}

/** The outcome of `kc rollback`: the operation, or the preview of a dry run. */
export interface RollbackResult {
  operation?: OperationResult;
  dryRun?: RollbackPreview;
}

/** `kc rollback R [N]`: re-applies revision N's stored manifest and values as a new revision. */
export async function rollback(ctx: KcContext, options: RollbackOptions): Promise<RollbackResult> {
  const session = await ctx.connect({ kubeconfig: options.kubeconfig, context: options.context });
  try {
    const namespace = options.namespace ?? session.namespace;
    const { release, revision, historyMax } = options;
    const { target: record, latest } = await rollbackRevisions(session.store, namespace, release, revision, historyMax);
    if (options.dryRun) return { dryRun: await preview(session, record, latest, options) };
    const plan = {
      name: record.name,
      namespace,
      chart: record.chart,
      env: record.env,
      project: record.project,
      objects: record.objects,
      hooks: record.hookObjects,
      values: record.values,
      userValues: record.userValues,
      secretPaths: record.secretPaths,
      notes: record.notes,
    };
    return { operation: await runOperation(session, plan, { kind: 'rollback', to: record.revision }, options) };
  } finally {
    session.close();
  }
}

/** The dry run of a rollback to `target`: what it would apply and prune, judged as the real rollback would. */
async function preview(session: ClusterSession, target: ReleaseRecord, latest: RevisionSummary, options: RollbackOptions): Promise<RollbackPreview> {
  const last = latest.revision === target.revision ? undefined : await session.store.read(target.namespace, target.name, latest.revision);
  const objects =
    options.dryRun === 'server'
      ? await applyStaged(session.client, target.objects, { ...applyOptions(session, target, options), dryRun: true })
      : target.objects;
  const stale = staleRefs(target.inventory, last, [target]);
  const { deleted, left } = await deleteOwned(session.client, stale, { release: `${target.namespace}/${target.name}`, dryRun: true });
  return { release: target.name, namespace: target.namespace, to: target.revision, objects, prune: deleted, left };
}
