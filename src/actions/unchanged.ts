// The no-op check that needs no render: a remembered render (render-memo.ts) gives each release's revision
// digest, the release index (one LIST per release, no payload) says what is deployed, and the deployed record
// with one LIST per kind and namespace says whether the cluster still holds it (drift means a real operation).
import { placeAt } from '../kube/apply.js';
import { findDrift, readLiveOf } from '../kube/drift.js';
import type { KubeObject } from '../kube/types.js';
import type { ReleaseRecord } from '../release/index.js';
import type { ClusterSession } from './cluster-session.js';
import { noChange, type OperationResult } from './release-operation.js';
import { deployedAs } from './revision-choice.js';
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

/**
 * "No changes" results for these releases, or undefined when any of them needs a real operation. The release
 * index (one LIST) and the deployed records are read first, then the live objects of all of them with one LIST per
 * kind and namespace (a no-op deploy of 50 releases in one namespace reads each kind once, not once per release),
 * then each is judged.
 */
export async function unchangedReleases(
  session: ClusterSession,
  namespace: string,
  releases: readonly MemoRelease[],
): Promise<OperationResult[] | undefined> {
  session.store.warm(namespace); // the record key, read while the index is: the records need it to decrypt
  // One LIST of the namespace's release index for every release (not one per release); only the latest revisions
  // matter, so not the superseded ones, which grow with every deploy.
  const histories = await session.store.histories(namespace, { withoutSuperseded: true });
  const deployed = await Promise.all(
    releases.map(async (r) => {
      // The same condition runOperation applies under the lock.
      const current = deployedAs(histories.get(r.name) ?? [], r.digest);
      if (!current) return undefined;
      const record = await session.store.read(namespace, r.name, current.revision);
      const placed = placedRevision(record);
      return placed && { name: r.name, revision: current.revision, placed, chart: record.chart };
    }),
  );
  if (deployed.some((d) => d === undefined)) return undefined;
  const found = deployed as NonNullable<(typeof deployed)[number]>[];
  const live = await readLiveOf(
    session.client,
    found.flatMap((d) => d.placed),
  );
  const results = await Promise.all(
    found.map(async (d): Promise<OperationResult | undefined> => {
      const { drifted } = await findDrift(session.client, d.placed, `${namespace}/${d.name}`, live);
      return drifted.length === 0 ? { ...noChange(d.name, namespace, d.revision), chart: d.chart } : undefined;
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
