// The no-op check that needs no render: a remembered render (render-memo.ts) gives each release's revision
// digest, the release index (one LIST per release, no payload) says what is deployed, and the deployed record
// with one LIST per kind and namespace says whether the cluster still holds it (drift means a real operation).
import { byKindAndNamespace, placeAt } from '../kube/apply.js';
import { findDrift, readLiveOf } from '../kube/drift.js';
import { listAhead } from '../kube/list-ahead.js';
import { refOf, type KubeObject, type ObjectRef } from '../kube/types.js';
import type { ReleaseRecord } from '../release/index.js';
import type { ClusterSession } from './cluster-session.js';
import { noChange, type OperationResult } from './release-operation.js';
import { deployedAs } from './revision-choice.js';
import type { DeployedHint, MemoRelease, RenderMemo } from './render-memo.js';
import type { PreparedSynth } from './synth.js';

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

/** What a no-op check found: "no changes" results, and the memo's releases with where each was found deployed. */
export interface UnchangedReleases {
  results: OperationResult[];
  /** The releases with their `seen` hints brought up to date; undefined when every hint was already right. */
  noted?: MemoRelease[];
}

/** The LISTs of a revision's placed objects, one per kind and namespace, as a hint keeps them. */
function listsOf(placed: readonly ObjectRef[]): DeployedHint['lists'] {
  return byKindAndNamespace(placed).map(([ref]) => [ref.apiVersion, ref.kind, ref.namespace ?? '']);
}

const sameHint = (a: DeployedHint | undefined, b: DeployedHint) => JSON.stringify(a) === JSON.stringify(b);

/**
 * "No changes" results for these releases, or undefined when any of them needs a real operation. The release
 * index (one LIST) and the deployed records are read first, then the live objects of all of them with one LIST per
 * kind and namespace (a no-op deploy of 50 releases in one namespace reads each kind once, not once per release),
 * then each is judged. Where a release was found deployed before (its `seen` hint), its record and LISTs are sent
 * with the index read: used only for the revision the index names, so a stale hint costs reads, never a verdict.
 */
export async function unchangedReleases(
  session: ClusterSession,
  namespace: string,
  releases: readonly MemoRelease[],
): Promise<UnchangedReleases | undefined> {
  session.store.warm(namespace); // the record key, read while the index is: the records need it to decrypt
  const guessed = new Map(
    releases.flatMap((r) => {
      if (!r.seen) return [];
      const read = session.store.read(namespace, r.name, r.seen.revision);
      read.catch(() => undefined); // a stale guess (a trimmed revision) is read again below, or not needed
      return [[`${r.name}@${r.seen.revision}`, read] as const];
    }),
  );
  const ahead = listAhead(
    session.client,
    releases.flatMap((r) => r.seen?.lists ?? []),
  );
  // One LIST of the namespace's release index for every release (not one per release); only the latest revisions
  // matter, so not the superseded ones, which grow with every deploy.
  const histories = await session.store.histories(namespace, { withoutSuperseded: true });
  const deployed = await Promise.all(
    releases.map(async (r) => {
      // The same condition runOperation applies under the lock.
      const current = deployedAs(histories.get(r.name) ?? [], r.digest);
      if (!current) return undefined;
      const guess = guessed.get(`${r.name}@${current.revision}`)?.catch(() => undefined);
      const record = (await guess) ?? (await session.store.read(namespace, r.name, current.revision));
      const placed = placedRevision(record);
      return placed && { name: r.name, revision: current.revision, placed, chart: record.chart };
    }),
  );
  if (deployed.some((d) => d === undefined)) return undefined;
  const found = deployed as NonNullable<(typeof deployed)[number]>[];
  const live = await readLiveOf(
    session.client,
    found.flatMap((d) => d.placed),
    ahead,
  );
  const results = await Promise.all(
    found.map(async (d): Promise<OperationResult | undefined> => {
      const { drifted } = await findDrift(session.client, d.placed, `${namespace}/${d.name}`, live);
      return drifted.length === 0 ? { ...noChange(d.name, namespace, d.revision), chart: d.chart } : undefined;
    }),
  );
  if (!results.every((r) => r !== undefined)) return undefined;
  const seen = found.map((d) => ({ revision: d.revision, lists: listsOf(d.placed.map(refOf)) }));
  const stale = releases.some((r, i) => !sameHint(r.seen, seen[i]));
  return { results, noted: stale ? releases.map((r, i) => ({ ...r, seen: seen[i] })) : undefined };
}

/**
 * `memo` with where these operations left its releases deployed (their revision and LISTs), so that the next no-op
 * check reads ahead; undefined when no hint changes.
 */
export function noteDeployed(memo: RenderMemo, results: readonly OperationResult[]): RenderMemo | undefined {
  const byName = new Map(results.filter((r) => r.status === 'deployed').map((r) => [r.release, r]));
  let changed = false;
  const releases = memo.releases.map((r) => {
    const result = byName.get(r.name);
    if (!result || result.noChange) return r;
    const seen = { revision: result.revision, lists: listsOf(result.applied) };
    if (sameHint(r.seen, seen)) return r;
    changed = true;
    return { ...r, seen };
  });
  return changed ? { ...memo, releases } : undefined;
}

/** The memo's releases that a deploy with `only` (or all) would operate on; undefined if `only` names an unknown one. */
export function memoSelection(memo: RenderMemo, only: readonly string[] | undefined): MemoRelease[] | undefined {
  if (!only?.length) return memo.releases;
  const picked = memo.releases.filter((r) => only.includes(r.name));
  return picked.length === new Set(only).size ? picked : undefined;
}

/** `memo` with the hints a no-op check noted, by release name (a deploy may have checked only some releases). */
export function withNoted(memo: RenderMemo, noted: readonly MemoRelease[]): RenderMemo {
  const byName = new Map(noted.map((r) => [r.name, r]));
  return { ...memo, releases: memo.releases.map((r) => byName.get(r.name) ?? r) };
}

/** Notes in the render memo of `prepared` where `results` left its releases deployed (see noteDeployed). */
export function noteInMemo(
  prepared: Pick<PreparedSynth, 'memo' | 'keepMemo'>,
  results: readonly OperationResult[],
): void {
  const memo = prepared.memo();
  const noted = memo && noteDeployed(memo, results);
  if (noted) prepared.keepMemo(noted);
}
