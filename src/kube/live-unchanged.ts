// Which objects of an upgrade or rollback need not be sent again: a one-object change to a 500-object release then
// costs one apply and a few LISTs, not 500 applies. Conservative by design: an object is skipped only when the cluster
// provably holds it as kc last applied it, so drift (an edit, another field manager, a deletion) is still put right.
import { keepsAppliedFields } from './applied-fields.js';
import { byKindAndNamespace, FIELD_MANAGER, RELEASE_ANNOTATION } from './apply.js';
import { refKey, refOf, type KubeClient, type KubeObject, type ManagedFieldsEntry, type ObjectRef } from './types.js';

/** Below this many candidates of one kind in one namespace a LIST costs more than applying them. */
const MIN_GROUP = 5;

/** The deployed revision an upgrade starts from: its objects (as the chart rendered them) and where they were placed. */
export interface DeployedObjects {
  objects: readonly KubeObject[];
  /** The placed ref of each object, in the same order. */
  inventory: readonly ObjectRef[];
}

/**
 * True when every field of `live` outside its status was last set by kc's server-side apply, for `release`: then
 * applying the object kc applied last changes nothing. Any other writer (kubectl edit, another apply manager,
 * a controller updating the spec) means the object is re-applied.
 */
export function onlyKcApplied(live: KubeObject, release: string): boolean {
  const metadata = live.metadata ?? {};
  if (metadata.deletionTimestamp) return false;
  if ((metadata.annotations as Record<string, string> | undefined)?.[RELEASE_ANNOTATION] !== release) return false;
  const entries = (metadata.managedFields ?? []) as ManagedFieldsEntry[];
  const main = entries.filter((e) => e.subresource !== 'status');
  return main.length === 1 && main[0].manager === FIELD_MANAGER && main[0].operation === 'Apply';
}

/**
 * The live objects (by refKey) among `placed` that need no apply: rendered exactly as in `deployed`, which must be
 * the release's latest revision and fully applied, and unchanged in the cluster since (onlyKcApplied). Reads one
 * LIST per kind and namespace with enough candidates; a LIST that fails only means those objects are applied.
 * `rendered[i]` is the object `placed[i]` was placed from.
 */
export async function liveUnchanged(
  client: KubeClient,
  rendered: readonly KubeObject[],
  placed: readonly KubeObject[],
  deployed: DeployedObjects,
  release: string,
): Promise<Map<string, KubeObject>> {
  const unchanged = new Map<string, KubeObject>();
  if (deployed.objects.length !== deployed.inventory.length || rendered.length !== placed.length) return unchanged;
  const before = new Map(deployed.inventory.map((ref, i) => [refKey(ref), JSON.stringify(deployed.objects[i])]));
  const candidates = placed.map(refOf).filter((ref, i) => before.get(refKey(ref)) === JSON.stringify(rendered[i]));
  const sent = new Map(placed.map((o) => [refKey(refOf(o)), o]));
  await Promise.all(
    byKindAndNamespace(candidates)
      .filter((refs) => refs.length >= MIN_GROUP)
      .map(async (refs) => {
        const { apiVersion, kind, namespace } = refs[0];
        let items: KubeObject[];
        try {
          items = await client.list(apiVersion, kind, { namespace });
        } catch {
          return;
        }
        const wanted = new Set(refs.map(refKey));
        for (const live of items) {
          const key = refKey({ apiVersion, kind, name: live.metadata?.name ?? '', namespace });
          // A field removed by another writer leaves kc alone in managedFields but no longer owning it.
          if (!wanted.has(key) || !onlyKcApplied(live, release)) continue;
          if (keepsAppliedFields(live, sent.get(key)!)) unchanged.set(key, live);
        }
      }),
  );
  return unchanged;
}
