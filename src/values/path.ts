/** One step into a values tree: a map key or a list index. */
export type PathSegment = string | number;

/** A location in a values tree. */
export type ValuePath = readonly PathSegment[];

/** Formats a path the way users type it in --set: `a.b[0].c`, escaping dots inside keys. */
export function formatPath(path: ValuePath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += (out === '' ? '' : '.') + seg.replace(/\./g, '\\.');
  }
  return out;
}

/** True for a plain JSON-like object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the value at a path, or undefined when any step is missing. */
export function getPath(tree: unknown, path: ValuePath): unknown {
  let node = tree;
  for (const seg of path) {
    if (typeof seg === 'number' ? !Array.isArray(node) : !isPlainObject(node)) return undefined;
    node = (node as Record<PathSegment, unknown>)[seg];
  }
  return node;
}

/** True when `path` is `prefix` or lies below it (an empty prefix matches nothing). */
export function isUnder(path: ValuePath, prefix: ValuePath): boolean {
  return prefix.length > 0 && prefix.length <= path.length && prefix.every((seg, i) => seg === path[i]);
}
