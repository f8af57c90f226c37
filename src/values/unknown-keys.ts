// Keys a chart's schema does not declare. zod's z.object drops them without a word, so a misspelt
// `--set replicacount=3` would otherwise deploy the default and report success.
import type { JsonSchema } from './json-schema.js';
import { isPlainObject, type PathSegment } from './path.js';

/** A value the schema does not declare, with the names it does declare at that level. */
export interface UnknownKey {
  path: PathSegment[];
  known: string[];
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
    else if (extra === undefined && node.properties) found.push({ path: [...prefix, key], known: Object.keys(properties) });
  }
  return found;
}
