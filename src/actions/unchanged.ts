// The no-op check that needs no render: a remembered render (render-memo.ts) gives each release's revision
// digest, the release index (one LIST per release, no payload) says what is deployed, and the deployed record
// with one LIST per kind and namespace says whether the cluster still holds it (drift means a real operation).
import { placeAt } from '../kube/apply.js';
import { findDrift } from '../kube/drift.js';
import type { KubeObject } from '../kube/types.js';
import type { ReleaseRecord } from '../release/index.js';
import type { ClusterSession } from './cluster-session.js';
import { deployedAs, noChange, type OperationResult } from './release-operation.js';
import type { MemoRelease, RenderMemo } from './render-memo.js';

/**
 * A revision's objects as they were sent (each placed where its inventory says, with the release annotation), or
 * undefined for a record whose objects and inventory do not pair up. What drift is judged against.
 */
export function placedRevision(
  record: Pick<ReleaseRecord, 'namespace' | 'name' | 'objects' | 'inventory'>,
): KubeObject[] | undefined {
  if (record.objects.length !== record.inventory.length) return undefined;
  return record.objects.map((o, i) => placeAt(o, record.inventory[i], `${record.namespace}/${record.name}`));
}

/** True when the cluster holds every object of the deployed revision as it was applied. */
async function inSync(session: ClusterSession, namespace: string, name: string, revision: number): Promise<boolean> {
  const placed = placedRevision(await session.store.read(namespace, name, revision));
  if (!placed) return false;
  return (await findDrift(session.client, placed, `${namespace}/${name}`)).drifted.length === 0;
}

/** "No changes" results for these releases, or undefined when any of them needs a real operation. */
export async function unchangedReleases(session: ClusterSession, namespace: string, releases: readonly MemoRelease[]): Promise<OperationResult[] | undefined> {
  const results = await Promise.all(
    releases.map(async (r): Promise<OperationResult | undefined> => {
      // The same condition runOperation applies under the lock.
      const current = deployedAs(await session.store.history(namespace, r.name), r.digest);
      if (!current || !(await inSync(session, namespace, r.name, current.revision))) return undefined;
      return noChange(r.name, namespace, current.revision);
    }),
  );
  return results.every((r) => r !== undefined) ? results : undefined;
}

/** The memo's releases that a deploy with `only` (or all) would operate on; undefined if `only` names an unknown one. */
export function memoSelection(memo: RenderMemo, only: readonly string[] | undefined): MemoRelease[] | undefined {
  if (!only?.length) return memo.releases;
  const picked = memo.releases.filter((r) => only.includes(r.name));
  return picked.length === new Set(only).size ? picked : undefined;
}
