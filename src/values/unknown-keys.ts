// Keys a chart's schema does not declare. zod's z.object drops them without a word, so a misspelt
// `--set replicacount=3` would otherwise deploy the default and report success.
import { closestName } from '../suggest.js';
import { schemaAt, type JsonSchema } from './json-schema.js';
import { isPlainObject, type PathSegment } from './path.js';

/** A value the schema does not declare. */
export interface UnknownKey {
  path: PathSegment[];
}

/**
 * Keys in `values` under an object schema that lists its properties and allows no others, found by walking the
 * schema (zod's input JSON Schema). Unions, intersections and references are not guessed at: nothing is reported
 * below them. `additionalProperties: false` (zod's strictObject) is left to the chart's own validation.
 */
export function unknownKeys(node: JsonSchema | undefined, value: unknown, prefix: PathSegment[] = []): UnknownKey[] {
  if (!node || node.anyOf || node.oneOf || node.allOf || node.$ref) return [];
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => {
      const itemSchema = Array.isArray(node.prefixItems) && node.prefixItems[i] ? node.prefixItems[i] : isPlainObject(node.items) ? (node.items as JsonSchema) : undefined;
      return unknownKeys(itemSchema, item, [...prefix, i]);
    });
  }
  if (!isPlainObject(value)) return [];
  const properties = node.properties ?? {};
  const extra = node.additionalProperties;
  const found: UnknownKey[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    if (Object.hasOwn(properties, key)) found.push(...unknownKeys(properties[key], child, [...prefix, key]));
    else if (isPlainObject(extra)) found.push(...unknownKeys(extra as JsonSchema, child, [...prefix, key]));
    // A plain z.object: it lists its properties and says nothing of others, and drops them.
    else if (extra === undefined && node.properties) found.push({ path: [...prefix, key] });
  }
  return found;
}

/**
 * What an unknown key probably meant, as a path relative to its parent: a close spelling (`replicacount` →
 * `replicaCount`), the same without the chart's name in front (Helm's stable charts said `mysqlRootPassword` for
 * `rootPassword`), or a flattened nested key (`imageTag` → `image.tag`).
 */
export function suggestKey(root: JsonSchema | undefined, path: PathSegment[], chartName?: string): string | undefined {
  const name = path.at(-1);
  const parent = schemaAt(root, path.slice(0, -1));
  if (typeof name !== 'string' || !parent?.properties) return undefined;
  const known = Object.keys(parent.properties);
  const close = closestName(name, known);
  if (close) return close;
  const prefix = chartName?.toLowerCase();
  if (prefix && name.toLowerCase().startsWith(prefix) && name.length > prefix.length) {
    const unprefixed = closestName(name.slice(prefix.length), known);
    if (unprefixed) return unprefixed;
  }
  for (const key of known) {
    const children = Object.keys(parent.properties[key]?.properties ?? {});
    if (children.length === 0 || !name.toLowerCase().startsWith(key.toLowerCase()) || name.length === key.length) continue;
    const child = closestName(name.slice(key.length), children);
    if (child) return `${key}.${child}`;
  }
  return undefined;
}
