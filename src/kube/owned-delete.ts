// Every delete kc makes goes through here: an object is deleted only when the live object says this release owns
// it, judged from a read made just before, and the DELETE carries that read's uid and resourceVersion as
// preconditions, so an object changed or replaced in between is judged again instead of deleted.
import { KcError, isKcError } from '../errors/index.js';
import { applyStages } from './stages.js';
import { notOwnedReason, readLive } from './ownership.js';
import { describeRef, refKey, refOf, type KubeClient, type KubeObject, type ObjectRef } from './types.js';

/** An object a delete left alone, and why. */
export interface LeftObject {
  ref: ObjectRef;
  reason: string;
}

/** What deleteOwned deleted (or, dry, would delete) and what it left because the release does not own it. */
export interface OwnedDeletion {
  deleted: ObjectRef[];
  left: LeftObject[];
}

/** How deleteOwned deletes. */
export interface OwnedDeleteOptions {
  /** `namespace/name` of the release whose objects may be deleted. */
  release: string;
  /** Read and judge, delete nothing: `deleted` says what a real run would delete. */
  dryRun?: boolean;
  propagation?: 'Foreground' | 'Background' | 'Orphan';
  signal?: AbortSignal;
}

/** Reads before a delete whose precondition failed: the object keeps changing after this many, so kc stops. */
const MAX_ATTEMPTS = 5;

/** "left Kind/ns/name: reason", for summaries. */
export function describeLeft(left: LeftObject): string {
  return `${describeRef(left.ref)}: ${left.reason}`;
}

type Outcome = { deleted: true } | { deleted: false; reason?: string };

async function deleteOne(
  client: KubeClient,
  ref: ObjectRef,
  first: KubeObject | undefined,
  options: OwnedDeleteOptions,
): Promise<Outcome> {
  let live = first;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (!live) return { deleted: false };
    const reason = notOwnedReason(live, options.release);
    if (reason) return { deleted: false, reason };
    if (options.dryRun || live.metadata?.deletionTimestamp) return { deleted: true };
    const { uid, resourceVersion } = live.metadata as { uid?: string; resourceVersion?: string };
    try {
      const gone = !(await client.delete(ref, {
        propagation: options.propagation,
        preconditions: { uid, resourceVersion },
      }));
      return gone ? { deleted: false } : { deleted: true };
    } catch (err) {
      if (!isKcError(err) || err.code !== 'CONFLICT') throw err;
      live = await client.get(ref); // changed since it was read: judge what is there now
    }
  }
  throw new KcError('CONFLICT', `${describeRef(ref)} kept changing while kc tried to delete it`, {
    hint: 'something else is writing to it; run the command again',
  });
}

/** A stage's objects with its kinds in reverse (install) order, the objects of each kind in their own order. */
function kindsReversed(stage: readonly KubeObject[]): KubeObject[] {
  const runs: KubeObject[][] = [];
  for (const o of stage) {
    const last = runs.at(-1);
    if (last && last[0].kind === o.kind) last.push(o);
    else runs.push([o]);
  }
  return runs.reverse().flat();
}

/**
 * Deletes, in reverse install order, those of `refs` that the live cluster says `release` owns (its annotation and
 * kc's field manager), each checked at that moment; absent objects are skipped, the rest are left and reported.
 */
export async function deleteOwned(
  client: KubeClient,
  refs: readonly ObjectRef[],
  options: OwnedDeleteOptions,
): Promise<OwnedDeletion> {
  const asObjects = refs.map((r) => ({
    apiVersion: r.apiVersion,
    kind: r.kind,
    metadata: { name: r.name, namespace: r.namespace },
  }));
  const result: OwnedDeletion = { deleted: [], left: [] };
  const seen = new Set<string>();
  for (const stage of applyStages(asObjects).reverse()) {
    if (options.signal?.aborted) throw options.signal.reason;
    const stageRefs = kindsReversed(stage)
      .map(refOf)
      .filter((r) => !seen.has(refKey(r)) && seen.add(refKey(r)));
    const live = await readLive(client, stageRefs, { metadataOnly: true });
    const outcomes = await Promise.all(stageRefs.map((ref) => deleteOne(client, ref, live.get(refKey(ref)), options)));
    outcomes.forEach((o, i) => {
      if (o.deleted) result.deleted.push(stageRefs[i]);
      else if (o.reason) result.left.push({ ref: stageRefs[i], reason: o.reason });
    });
  }
  return result;
}
