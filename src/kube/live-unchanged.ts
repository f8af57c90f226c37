// Which objects of an upgrade or rollback need not be sent again: a one-object change to a 500-object release then
// costs one apply and a few LISTs, not 500 applies. Conservative by design: an object is skipped only when the cluster
// provably holds it as kc last applied it, so drift (an edit, another field manager, a deletion) is still put right.
import { keepsAppliedFields } from './applied-fields.js';
import {
  byKindAndNamespace,
  FIELD_MANAGER,
  refuseUnowned,
  RELEASE_ANNOTATION,
  type StagedApplyOptions,
} from './apply.js';
import { readLive } from './ownership.js';
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
 * The objects of `placed` (by refKey) rendered exactly as in `deployed`, which must be the release's latest revision
 * and fully applied: those need no apply if the cluster still holds them as kc applied them (unchangedIn).
 * `rendered[i]` is the object `placed[i]` was placed from.
 */
export function candidatesOf(
  rendered: readonly KubeObject[],
  placed: readonly KubeObject[],
  deployed: DeployedObjects,
): Map<string, KubeObject> {
  const candidates = new Map<string, KubeObject>();
  if (deployed.objects.length !== deployed.inventory.length || rendered.length !== placed.length) return candidates;
  const before = new Map(deployed.inventory.map((ref, i) => [refKey(ref), JSON.stringify(deployed.objects[i])]));
  placed.forEach((object, i) => {
    const key = refKey(refOf(object));
    if (before.get(key) === JSON.stringify(rendered[i])) candidates.set(key, object);
  });
  return candidates;
}

/** The candidates (candidatesOf) whose live object, read now into `live` by refKey, is as kc applied it last. */
export function unchangedIn(
  live: ReadonlyMap<string, KubeObject>,
  candidates: ReadonlyMap<string, KubeObject>,
  release: string,
): Map<string, KubeObject> {
  const unchanged = new Map<string, KubeObject>();
  for (const [key, sent] of candidates) {
    const object = live.get(key);
    // A field removed by another writer leaves kc alone in managedFields but no longer owning it.
    if (object && onlyKcApplied(object, release) && keepsAppliedFields(object, sent)) unchanged.set(key, object);
  }
  return unchanged;
}

/**
 * The live objects (by refKey) among `placed` that need no apply (candidatesOf, unchangedIn). Reads one LIST per
 * kind and namespace with enough candidates; a LIST that fails only means those objects are applied.
 */
export async function liveUnchanged(
  client: KubeClient,
  rendered: readonly KubeObject[],
  placed: readonly KubeObject[],
  deployed: DeployedObjects,
  release: string,
): Promise<Map<string, KubeObject>> {
  const candidates = candidatesOf(rendered, placed, deployed);
  const live = new Map<string, KubeObject>();
  const refs = [...candidates.values()].map(refOf);
  await Promise.all(
    byKindAndNamespace(refs)
      .filter((group) => group.length >= MIN_GROUP)
      .map(async (group) => {
        const { apiVersion, kind, namespace } = group[0];
        let items: KubeObject[];
        try {
          items = await client.list(apiVersion, kind, { namespace });
        } catch {
          return;
        }
        for (const object of items)
          live.set(refKey({ apiVersion, kind, name: object.metadata?.name ?? '', namespace }), object);
      }),
  );
  return unchangedIn(live, candidates, release);
}

/**
 * Reads `sent` (placed objects) once, whole: one LIST per kind and namespace with more than four objects, GETs for
 * fewer. From that one read, taken before anything is applied, `ownership` refuses objects that belong to something
 * else (refuseUnowned, as checkOwnership would) and `unchanged` tells which `candidates` need no apply (unchangedIn;
 * empty if the read failed, which `ownership` reports). Half the LISTs of checkOwnership and liveUnchanged apart.
 */
export function ownershipAndUnchanged(
  client: KubeClient,
  sent: readonly KubeObject[],
  candidates: ReadonlyMap<string, KubeObject>,
  options: StagedApplyOptions,
): { ownership: Promise<void>; unchanged: Promise<Map<string, KubeObject>> } {
  const refs = sent.map(refOf);
  const live = readLive(client, refs);
  return {
    ownership: live.then((read) => refuseUnowned(refs, read, options)),
    unchanged: live.then(
      (read) => unchangedIn(read, candidates, options.release),
      () => new Map<string, KubeObject>(),
    ),
  };
}
