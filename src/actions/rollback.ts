import type { KcContext } from '../context.js';
import { runOperation, rollbackTarget, type OperationOptions, type OperationResult } from './release-operation.js';
import type { ClusterOptions } from './release-options.js';

/** Options of `kc rollback`. */
export interface RollbackOptions extends ClusterOptions, OperationOptions {
  release: string;
  /** Revision to return to; default the one before the latest. */
  revision?: number;
}

/** `kc rollback R [N]`: re-applies revision N's stored manifest and values as a new revision. */
export async function rollback(ctx: KcContext, options: RollbackOptions): Promise<OperationResult> {
  const session = await ctx.connect({ kubeconfig: options.kubeconfig, context: options.context });
  try {
    const namespace = options.namespace ?? session.namespace;
    const history = await session.store.requireHistory(namespace, options.release);
    const target = rollbackTarget(history, options.revision);
    const record = await session.store.read(namespace, options.release, target.revision);
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
    return await runOperation(session, plan, { kind: 'rollback', to: target.revision }, options);
  } finally {
    session.close();
  }
}
