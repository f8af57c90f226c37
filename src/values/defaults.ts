import { alternatives, type JsonSchema } from './json-schema.js';
import { isPlainObject } from './path.js';
import { mergeValues } from './merge.js';

/**
 * The defaults a schema declares, as a values tree. Objects are entered when they are required or have a
 * default of their own, so an optional feature (e.g. an ingress block) is never switched on by its defaults.
 */
export function defaultsOf(node: JsonSchema | undefined): unknown {
  if (!node) return undefined;
  const own = node.default === undefined ? undefined : structuredClone(node.default);
  const objectAlt = alternatives(node).find((a) => a.properties);
  if (!objectAlt?.properties) return own;
  const required = new Set(objectAlt.required ?? []);
  const fromProps: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(objectAlt.properties)) {
    const childIsObject = alternatives(child).some((a) => a.properties);
    if (childIsObject && !required.has(key) && child.default === undefined) continue;
    const value = defaultsOf(child);
    if (value !== undefined) fromProps[key] = value;
  }
  if (own === undefined && Object.keys(fromProps).length === 0) return undefined;
  return mergeValues(isPlainObject(own) ? own : {}, fromProps, 'defaults');
}
