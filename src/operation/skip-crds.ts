// --skip-crds: the chart's CustomResourceDefinitions are not applied by this operation.
//
// Why not simply drop them from the revision: kc prunes whatever the previous revision may own that the new one
// lacks, and deleting a CRD deletes every custom resource of its kind in the whole cluster, other releases' too.
// So the new revision records the CRDs the previous revisions recorded, as those recorded them: they stay in its
// inventory (nothing prunes them, a later upgrade without --skip-crds updates them, an uninstall treats them as
// before), but this operation neither applies them nor checks them. A CRD of the chart that no revision recorded is
// not created; if its kind is then unknown to the cluster, applying its custom resources fails with kc's usual
// error for an unknown kind, before anything of the revision is recorded as deployed. A CRD that only a failed
// revision's pending prune listed (no body to carry) is dropped from the prune list instead: with --skip-crds kc
// never deletes a CRD. The revision's digest is that of what it records, so a later upgrade of the same chart
// without --skip-crds is not taken for "no changes" and does apply the chart's CRDs.
import { refKey, type KubeObject, type ObjectRef } from '../kube/types.js';
import type { ReleaseRecord } from '../release/index.js';

/** True for a CustomResourceDefinition (object or reference). */
export function isCrd(o: { apiVersion?: string; kind?: string }): boolean {
  return o.kind === 'CustomResourceDefinition' && (o.apiVersion ?? '').startsWith('apiextensions.k8s.io/');
}

/** What a --skip-crds revision records: its objects, and the keys (refKey) of the CRDs carried over unapplied. */
export interface CarriedCrds {
  objects: KubeObject[];
  carried: Set<string>;
}

/**
 * The chart's objects without its CRDs, plus the CRDs that `records` (the deployed revision first, then the latest)
 * recorded, first in the list; each carried CRD's key (from the record's inventory) is in `carried`.
 */
export function carryRecordedCrds(
  objects: readonly KubeObject[],
  records: readonly (Pick<ReleaseRecord, 'objects' | 'inventory'> | undefined)[],
): CarriedCrds {
  const carried = new Set<string>();
  const bodies: KubeObject[] = [];
  for (const record of records) {
    record?.objects.forEach((o, i) => {
      const ref = record.inventory[i];
      if (!ref || !isCrd(o) || carried.has(refKey(ref))) return;
      carried.add(refKey(ref));
      bodies.push(o);
    });
  }
  return { objects: [...bodies, ...objects.filter((o) => !isCrd(o))], carried };
}

/** A prune list without CRDs: with --skip-crds, kc deletes no CRD. */
export function withoutCrds(stale: readonly ObjectRef[]): ObjectRef[] {
  return stale.filter((r) => !isCrd(r));
}
