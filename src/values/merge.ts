import { checkTree, forbiddenKeyError, isForbiddenKey } from './forbidden-keys.js';
import { formatPath, isPlainObject, type PathSegment } from './path.js';

/** Where each value came from: formatted path → layer label. */
export type Provenance = Map<string, string>;

function record(prov: Provenance | undefined, path: PathSegment[], label: string, value: unknown): void {
  if (!prov) return;
  const key = formatPath(path);
  // A replaced subtree forgets what lower layers said inside it.
  for (const existing of [...prov.keys()]) {
    if (existing.startsWith(key + '.') || existing.startsWith(key + '[')) prov.delete(existing);
  }
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) record(prov, [...path, k], label, v);
    if (Object.keys(value).length === 0) prov.set(key, label);
  } else {
    prov.set(key, label);
  }
}

/**
 * Merges `layer` over `base` and returns a new tree: maps merge key by key, lists and scalars replace,
 * and `null` deletes the key. Each value set is recorded in `prov` under `label`.
 */
export function mergeValues(
  base: Record<string, unknown>,
  layer: Record<string, unknown>,
  label = 'values',
  prov?: Provenance,
  path: PathSegment[] = [],
): Record<string, unknown> {
  // A prototype-free map: no key, `__proto__` included, can reach Object.prototype (layers are checked before too).
  const out: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, base);
  for (const [key, value] of Object.entries(layer)) {
    const here = [...path, key];
    if (isForbiddenKey(key)) throw forbiddenKeyError(here, label);
    if (value === null) {
      delete out[key];
      record(prov, here, label, undefined);
      prov?.delete(formatPath(here));
    } else if (isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = mergeValues(out[key] as Record<string, unknown>, value, label, prov, here);
    } else if (value !== undefined) {
      checkTree(value, here, label); // a copied subtree is not merged key by key, so it is checked whole
      out[key] = structuredClone(value);
      record(prov, here, label, value);
    }
  }
  return out;
}

/** Sets (or with `undefined`, deletes) the value at a path, creating maps and lists on the way. */
export function setAtPath(tree: Record<string, unknown>, path: PathSegment[], value: unknown): void {
  const at = path.findIndex(isForbiddenKey);
  if (at >= 0) throw forbiddenKeyError(path.slice(0, at + 1), 'values');
  let node: Record<PathSegment, unknown> = tree;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i];
    const wantList = typeof path[i + 1] === 'number';
    let next = Object.hasOwn(node, seg) ? node[seg] : undefined;
    if (wantList ? !Array.isArray(next) : !isPlainObject(next)) {
      next = wantList ? [] : (Object.create(null) as Record<string, unknown>);
      node[seg] = next;
    }
    node = next as Record<PathSegment, unknown>;
  }
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete node[last];
    return;
  }
  if (Array.isArray(node) && typeof last === 'number') {
    while (node.length < last) node.push(null);
  }
  node[last] = value;
}

/** Records a single assignment in the provenance map. */
export function recordAssignment(prov: Provenance, path: PathSegment[], label: string, value: unknown): void {
  if (value === undefined) prov.delete(formatPath(path));
  else record(prov, path, label, value);
}

/** The label of the layer that set `path`, looking at the path itself, then its parents. */
export function layerOf(prov: Provenance, path: PathSegment[]): string | undefined {
  for (let n = path.length; n >= 0; n--) {
    const label = prov.get(formatPath(path.slice(0, n)));
    if (label) return label;
  }
  return undefined;
}
