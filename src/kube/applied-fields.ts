// Whether kc's server-side apply still owns every field kc sends. A writer that removes a field kc set (`kubectl
// label x-`, a JSON patch) takes it out of kc's field set and, owning nothing itself, leaves no managedFields entry:
// the object then shows kc as its only writer, yet lacks what kc applied. Reading kc's own entry catches that
// without a request.
import { FIELD_MANAGER } from './constants.js';
import type { KubeObject, ManagedFieldsEntry } from './types.js';

type Json = Record<string, unknown>;

const isMap = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Every key of `value` is in `owned` (fieldsV1's `f:` keys), maps checked key by key. A field owned with nothing
 * under it is owned whole: a list, or an atomic map such as a Service's selector.
 */
function covers(value: Json, owned: Json): boolean {
  for (const [key, v] of Object.entries(value)) {
    // null sends nothing, and an empty map claims nothing the server must keep.
    if (v === null || v === undefined || (isMap(v) && Object.keys(v).length === 0)) continue;
    const field = owned[`f:${key}`];
    if (!isMap(field)) return false;
    if (isMap(v) && Object.keys(field).length > 0 && !covers(v, field)) return false;
  }
  return true;
}

/**
 * True when kc's Apply entry in `live`'s managedFields lists every field of `sent` (the object kc applies, name,
 * namespace, apiVersion, kind and status aside). Conservative: lists are checked as a whole, and any doubt is false.
 */
export function keepsAppliedFields(live: KubeObject, sent: KubeObject): boolean {
  const entries = (live.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  const applied = entries.find((e) => e.manager === FIELD_MANAGER && e.operation === 'Apply' && !e.subresource);
  if (!isMap(applied?.fieldsV1)) return false;
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...body } = sent as Json;
  const { name: _n, namespace: _ns, ...meta } = (isMap(metadata) ? metadata : {}) as Json;
  return covers({ ...body, metadata: meta }, applied.fieldsV1);
}
