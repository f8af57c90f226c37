import { isPlainObject, type PathSegment, type ValuePath } from './path.js';

/** The subset of JSON Schema that kc reads (as zod's toJSONSchema writes it). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema | JsonSchema[];
  prefixItems?: JsonSchema[];
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  writeOnly?: boolean;
  [key: string]: unknown;
}

/** The alternatives a node stands for: itself, or the branches of anyOf/oneOf/allOf. */
export function alternatives(node: JsonSchema | undefined): JsonSchema[] {
  if (!node) return [];
  const branches = [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])];
  if (branches.length === 0) return [node];
  return branches.flatMap((b) => alternatives(b));
}

/** The JSON types a node accepts ('string', 'number', ...); empty when it says nothing. */
export function typesOf(node: JsonSchema | undefined): Set<string> {
  const types = new Set<string>();
  for (const alt of alternatives(node)) {
    if (typeof alt.type === 'string') types.add(alt.type);
    if (Array.isArray(alt.type)) alt.type.forEach((t) => types.add(t));
    for (const v of alt.enum ?? []) types.add(v === null ? 'null' : typeof v);
    if ('const' in alt) types.add(alt.const === null ? 'null' : typeof alt.const);
  }
  if (types.has('integer')) types.add('number');
  return types;
}

function childOf(node: JsonSchema, seg: PathSegment): JsonSchema | undefined {
  for (const alt of alternatives(node)) {
    if (typeof seg === 'number') {
      if (Array.isArray(alt.prefixItems) && alt.prefixItems[seg]) return alt.prefixItems[seg];
      if (isPlainObject(alt.items)) return alt.items as JsonSchema;
    } else {
      const prop = alt.properties?.[seg];
      if (prop) return prop;
      if (isPlainObject(alt.additionalProperties)) return alt.additionalProperties as JsonSchema;
    }
  }
  return undefined;
}

/** The schema node at a path, or undefined when the schema does not describe it. */
export function schemaAt(root: JsonSchema | undefined, path: ValuePath): JsonSchema | undefined {
  let node = root;
  for (const seg of path) {
    if (!node) return undefined;
    node = childOf(node, seg);
  }
  return node;
}

/** Every path under the schema marked `writeOnly` (kc's marker for secret values). */
export function secretPaths(root: JsonSchema | undefined, prefix: PathSegment[] = []): PathSegment[][] {
  if (!root) return [];
  const found: PathSegment[][] = [];
  for (const alt of alternatives(root)) {
    if (alt.writeOnly) return [prefix];
    for (const [key, child] of Object.entries(alt.properties ?? {})) {
      found.push(...secretPaths(child, [...prefix, key]));
    }
  }
  return found;
}
