// --cleanup-on-fail: when an install or upgrade fails, the objects it created are deleted, as Helm does. "Created"
// means absent from the cluster when the operation started (read before anything is applied): an object that
// existed then, whoever owned it, is never deleted here. The delete goes through deleteOwned, which deletes only
// what the live object says this release owns, so an object someone else created meanwhile is left too.
import { deleteOwned, describeLeft } from '../kube/owned-delete.js';
import { readLive } from '../kube/ownership.js';
import { describeRef, refKey, type KubeClient, type ObjectRef } from '../kube/types.js';

/** Those of `refs` that the cluster does not hold now (a kind it does not serve counts as absent). */
export async function absentNow(client: KubeClient, refs: readonly ObjectRef[]): Promise<ObjectRef[]> {
  const live = await readLive(client, refs, { metadataOnly: true });
  return refs.filter((r) => !live.has(refKey(r)));
}

/**
 * Deletes those of `created` that `release` owns live; says what was done, for the revision's description
 * (undefined when none of them was there: the operation failed before it created anything).
 */
export async function cleanUpCreated(
  client: KubeClient,
  created: readonly ObjectRef[],
  release: string,
): Promise<string | undefined> {
  const { deleted, left } = await deleteOwned(client, created, { release });
  if (deleted.length === 0 && left.length === 0) return undefined;
  const removed = deleted.length ? deleted.map(describeRef).join(', ') : 'nothing';
  const kept = left.length ? `; left ${left.map(describeLeft).join(', ')}` : '';
  return `--cleanup-on-fail removed what it created: ${removed}${kept}`;
}
