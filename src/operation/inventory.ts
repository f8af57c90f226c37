// What a release may own. A revision's inventory lists the objects it applies; `stale` lists those of earlier
// revisions it removes, tracked until they are pruned. A revision that did not finish (failed, interrupted) may
// have applied some of its objects and pruned some of the stale ones, so it may own both lists; a deployed one
// pruned its stale objects (or found them not its own), so it owns its inventory alone. Deletes are checked
// against the live objects anyway (deleteOwned): listing an object here never makes kc delete what is not its.
import { isKept } from '../kube/apply.js';
import { refKey, refOf, type ObjectRef } from '../kube/types.js';
import type { ReleaseRecord } from '../release/index.js';

/** The part of a record that says what it may own. */
export type InventoryOf = Pick<ReleaseRecord, 'status' | 'inventory' | 'stale' | 'objects'>;

/** Every object a revision may have left in the cluster: its inventory, and its stale objects unless it finished. */
export function mayOwn(record: InventoryOf | undefined): ObjectRef[] {
  if (!record || record.status === 'uninstalled') return [];
  const finished = record.status === 'deployed' || record.status === 'superseded';
  const refs = finished ? record.inventory : [...record.inventory, ...(record.stale ?? [])];
  const seen = new Set<string>();
  return refs.filter((r) => !seen.has(refKey(r)) && seen.add(refKey(r)));
}

/**
 * What a new revision applying `applied` prunes: whatever `last` (the latest revision) may own that the new one
 * lacks, except objects annotated to be kept (in `last` or in `kept`, e.g. the deployed revision's objects).
 */
export function staleRefs(
  applied: readonly ObjectRef[],
  last: InventoryOf | undefined,
  kept: InventoryOf[] = [],
): ObjectRef[] {
  const keep = new Set(applied.map(refKey));
  const annotated = new Set(
    [last, ...kept].flatMap((r) => (r?.objects ?? []).filter(isKept).map((o) => refKey(refOf(o)))),
  );
  return mayOwn(last).filter((r) => !keep.has(refKey(r)) && !annotated.has(refKey(r)));
}
