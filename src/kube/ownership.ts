// Who owns a live object, read from the object itself at the moment it matters: a release record says what a
// release *may* own; only the live object's annotation and field managers say what it owns now.
import { FIELD_MANAGER, RELEASE_ANNOTATION } from './constants.js';
import { listKey, type ListsAhead } from './list-ahead.js';
import { refKey, type KubeClient, type KubeObject, type ManagedFieldsEntry, type ObjectRef } from './types.js';

/** The release (`namespace/name`) a live object's annotation names, if any. */
export function ownerOf(live: KubeObject): string | undefined {
  return (live.metadata?.annotations as Record<string, string> | undefined)?.[RELEASE_ANNOTATION];
}

/**
 * Why `release` may not delete `live`, or undefined when it may: the object must carry the release's annotation
 * and have been applied by kc's field manager (an annotation copied by hand alone does not make it kc's).
 */
export function notOwnedReason(live: KubeObject, release: string): string | undefined {
  const owner = ownerOf(live);
  if (owner !== release) return owner ? `owned by release ${owner}` : 'not owned by kc';
  const entries = (live.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  if (!entries.some((e) => e.manager === FIELD_MANAGER && e.operation === 'Apply')) {
    return `carries release ${owner}'s annotation but was not applied by kc`;
  }
  return undefined;
}

/** Refs grouped by apiVersion, kind and namespace: what one LIST can read. */
export function byKindAndNamespace(refs: readonly ObjectRef[]): ObjectRef[][] {
  const groups = new Map<string, ObjectRef[]>();
  for (const ref of refs) {
    const key = `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}`;
    const list = groups.get(key);
    if (list) list.push(ref);
    else groups.set(key, [ref]);
  }
  return [...groups.values()];
}

/** How readLive reads. */
export interface ReadLiveOptions {
  /** Groups (kind and namespace) of more refs than this are read with one LIST, smaller ones with GETs. */
  listAbove?: number;
  /** Read metadata only (annotations and managedFields are enough to judge ownership). */
  metadataOnly?: boolean;
  /** LISTs already sent (full objects, see list-ahead.ts): used for their groups instead of reading again. */
  ahead?: ListsAhead;
}

/**
 * The live objects of `refs` (by refKey; absent keys do not exist), read now: one LIST per kind and namespace for
 * large groups, GETs for small ones. Every read must succeed: an unanswered one is an error, never "absent".
 */
export async function readLive(
  client: KubeClient,
  refs: readonly ObjectRef[],
  options: ReadLiveOptions = {},
): Promise<Map<string, KubeObject>> {
  const listAbove = options.listAbove ?? 4;
  const live = new Map<string, KubeObject>();
  await Promise.all(
    byKindAndNamespace(refs).map(async (group) => {
      // A kind the server does not serve (its CRD is gone) has no objects to read.
      if ((await client.isNamespaced(group[0].apiVersion, group[0].kind)) === undefined) return;
      if (group.length <= listAbove) {
        await Promise.all(
          group.map(async (ref) => {
            const object = await client.get(ref);
            if (object) live.set(refKey(ref), object);
          }),
        );
        return;
      }
      const { apiVersion, kind, namespace } = group[0];
      const wanted = new Set(group.map(refKey));
      const listed = options.ahead?.get(listKey(apiVersion, kind, namespace))?.catch(() => undefined);
      const { metadataOnly } = options;
      const items = (await listed) ?? (await client.list(apiVersion, kind, { namespace, metadataOnly }));
      for (const object of items) {
        const key = refKey({ apiVersion, kind, namespace, name: object.metadata?.name ?? '' });
        if (wanted.has(key)) live.set(key, object);
      }
    }),
  );
  return live;
}
