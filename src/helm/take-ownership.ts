// Taking a Helm release's live objects into a kc release must not restart anything: kc applies (server-side, as
// field manager kc) exactly what Helm's deployed revision recorded, so only metadata changes (kc's release
// annotation, managedFields). A server-side dry run proves that first: an object the apply would change (edited
// since Helm applied it, or missing) is refused before anything is written. Helm's field manager is then removed
// from each object: a field two managers own cannot be changed by either without a conflict, so kc's next upgrade
// or rollback would otherwise be refused on every value Helm set.
import type { Clock } from '../clock.js';
import { KcError } from '../errors/index.js';
import { applyStaged, placeObject } from '../kube/apply.js';
import { ownerOf, readLive } from '../kube/ownership.js';
import {
  describeRef,
  refKey,
  refOf,
  type KubeClient,
  type KubeObject,
  type ManagedFieldsEntry,
  type ObjectRef,
} from '../kube/types.js';
import { compareText } from '../compare-text.js';

/** Field managers Helm 3 and 4 write with (client-side update, then server-side apply in Helm 4). */
export const HELM_MANAGERS: readonly string[] = ['helm'];

/** How ownership is taken. */
export interface TakeOwnershipOptions {
  /** `namespace/name` of the kc release. */
  release: string;
  namespace: string;
  clock: Clock;
  signal?: AbortSignal;
}

/** A JSON text of `value` with object keys sorted: equal content gives equal text whatever the key order. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => compareText(a, b)))
      : v,
  );
}

/** The top-level fields (besides metadata and status) whose content differs between two objects. */
function changedFields(live: KubeObject, applied: KubeObject): string[] {
  const keys = new Set(
    [...Object.keys(live), ...Object.keys(applied)].filter((k) => k !== 'metadata' && k !== 'status'),
  );
  // Not metadata.generation: the API server bumps a Deployment's on any annotation change (annotations are copied
  // to its ReplicaSets); the pod template, which alone makes new pods, is in spec.
  return [...keys].filter((k) => stable(live[k]) !== stable(applied[k])).sort();
}

/**
 * Why applying `objects` would change the cluster beyond metadata, one line per object; empty when it would not.
 * Also refuses objects another kc release owns.
 */
export async function ownershipChanges(
  client: KubeClient,
  objects: KubeObject[],
  options: TakeOwnershipOptions,
): Promise<string[]> {
  const placed = await Promise.all(objects.map((o) => placeObject(client, o, options.release, options.namespace)));
  const refs = placed.map(refOf);
  const live = await readLive(client, refs);
  const problems: string[] = [];
  for (const ref of refs) {
    const object = live.get(refKey(ref));
    const owner = object && ownerOf(object);
    if (!object) problems.push(`${describeRef(ref)} is missing (adopting would create it)`);
    else if (owner && owner !== options.release) problems.push(`${describeRef(ref)} belongs to kc release ${owner}`);
  }
  if (problems.length > 0) return problems;
  const dry = await applyStaged(client, objects, { ...options, adopt: true, dryRun: true });
  for (const applied of dry) {
    const ref = refOf(applied);
    const changed = changedFields(live.get(refKey(ref))!, applied);
    if (changed.length > 0) problems.push(`${describeRef(ref)} would change (${changed.join(', ')})`);
  }
  return problems;
}

/** `entries` without Helm's field managers. */
export function withoutHelmManagers(entries: readonly ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  return entries.filter((e) => !HELM_MANAGERS.includes(String(e.manager)));
}

/** Removes Helm's field managers from a live object; re-read and tried again when it changed meanwhile. */
async function dropHelmManagers(client: KubeClient, applied: KubeObject): Promise<void> {
  const ref: ObjectRef = refOf(applied);
  let object: KubeObject | undefined = applied;
  for (let attempt = 0; object; attempt++) {
    const entries = (object.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
    const kept = withoutHelmManagers(entries);
    if (kept.length === entries.length) return;
    try {
      // resourceVersion: the list replaces the object's, so it must be the list just read.
      const metadata = { resourceVersion: object.metadata?.resourceVersion, managedFields: kept };
      await client.mergePatch(ref, { metadata });
      return;
    } catch (err) {
      if (!(err instanceof KcError && err.code === 'CONFLICT') || attempt >= 4) throw err;
    }
    object = await client.get(ref);
  }
}

/**
 * Makes `objects` (the deployed Helm revision's, placed in `options.namespace` as kc places them) the kc release's:
 * refuses with ADOPT_WOULD_CHANGE when that would change any of them beyond metadata, else applies them as field
 * manager kc with the release annotation and removes Helm's field managers. Returns where they are.
 */
export async function takeOwnership(
  client: KubeClient,
  objects: KubeObject[],
  options: TakeOwnershipOptions,
): Promise<ObjectRef[]> {
  const problems = await ownershipChanges(client, objects, options);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more, listed below)` : '';
    throw new KcError('ADOPT_WOULD_CHANGE', `cannot adopt without changing the cluster: ${problems[0]}${more}`, {
      details: problems.length > 1 ? problems : undefined,
      hint: "bring the objects back to Helm's deployed revision (undo the edits, or `helm upgrade`), then adopt again",
    });
  }
  const applied = await applyStaged(client, objects, { ...options, adopt: true });
  for (const object of applied) {
    options.signal?.throwIfAborted();
    await dropHelmManagers(client, object);
  }
  return applied.map(refOf);
}
