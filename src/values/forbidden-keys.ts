import { KcError } from '../errors/index.js';
import { formatPath, isPlainObject, type PathSegment } from './path.js';
import type { ValuesLayer } from './resolve.js';

// Keys that reach JavaScript's object machinery rather than data: merged into a normal object, `__proto__` swaps the
// prototype (the value vanishes, or pollutes every object), and a chart reading `constructor` gets a function.
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** True for a key no values layer may use: `__proto__`, `constructor` or `prototype`. */
export function isForbiddenKey(key: PathSegment): boolean {
  return typeof key === 'string' && FORBIDDEN.has(key);
}

/** The VALUES_INVALID error for a reserved key at `path`; names the key and the layer, never the value. */
export function forbiddenKeyError(path: readonly PathSegment[], layer: string): KcError {
  const key = String(path[path.length - 1]);
  return new KcError('VALUES_INVALID', `values key "${key}" is not allowed (at ${formatPath(path)}, set by ${layer})`, {
    details: [`${formatPath(path)}: "${key}" is reserved (${[...FORBIDDEN].join(', ')} reach JavaScript's objects, not data)`],
    hint: 'rename the key; if a chart really needs it, give the chart a value with another name and map it in code',
  });
}

/**
 * An object given a prototype by a `__proto__` key (an object literal in kc.config.ts, or a copy by assignment):
 * its own keys no longer show it, so the prototype is what gives it away. Class instances (a Date) keep theirs.
 */
function hasSmuggledPrototype(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto !== null && proto !== Object.prototype && !Object.hasOwn(proto, 'constructor');
}

/** Refuses a reserved key anywhere inside `value`, which sits at `path` of the layer labelled `layer`. */
export function checkTree(value: unknown, path: PathSegment[], layer: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkTree(item, [...path, i], layer));
    return;
  }
  if (!isPlainObject(value)) return;
  if (hasSmuggledPrototype(value)) throw forbiddenKeyError([...path, '__proto__'], layer);
  for (const key of Object.keys(value)) {
    if (isForbiddenKey(key)) throw forbiddenKeyError([...path, key], layer);
    checkTree(value[key], [...path, key], layer);
  }
}

/** Refuses a layer whose values or --set keys use a reserved key, before any of it is merged. */
export function checkLayerKeys(layer: ValuesLayer): void {
  for (const entry of layer.sets ?? []) {
    const at = entry.path.findIndex(isForbiddenKey);
    // The flag is named by kind and key only: its value may be a secret.
    const label = `--${entry.kind} ${formatPath(entry.path)}=…`;
    if (at >= 0) throw forbiddenKeyError(entry.path.slice(0, at + 1), label);
    if (entry.value.type === 'json') checkTree(entry.value.value, [...entry.path], label);
  }
  checkTree(layer.values, [], layer.label);
}
