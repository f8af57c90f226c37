// JSON Schema 2020-12 (what zod's toJSONSchema writes and what packaged charts store) rewritten as draft-07, for
// editors and validators that know no later draft. Done on the stored JSON rather than by asking zod again, so a
// .tgz or oci:// chart, whose zod schema is not at hand, gets the same output as a chart directory.

/** The `$schema` of a draft-07 schema, as zod and the draft itself spell it. */
export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** Keywords whose value is a map of names to schemas (the names are data, never rewritten). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is one schema or a list of schemas. */
const SCHEMA_VALUES = new Set([
  'items',
  'prefixItems',
  'additionalItems',
  'additionalProperties',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
]);
/**
 * 2020-12 keywords draft-07 has no equivalent of: dropped, which only makes the schema accept more (an editor then
 * flags less, never a valid value). zod writes none of them for a values schema.
 */
const DROPPED = new Set([
  'unevaluatedProperties',
  'unevaluatedItems',
  'minContains',
  'maxContains',
  '$anchor',
  '$dynamicAnchor',
  '$dynamicRef',
  '$recursiveAnchor',
  '$recursiveRef',
  '$vocabulary',
]);

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

function refOf(ref: Json): Json {
  return typeof ref === 'string' ? ref.replace(/\/\$defs\//g, '/definitions/') : ref;
}

function subschemas(value: Json): Json {
  return Array.isArray(value) ? value.map(schemaOf) : schemaOf(value);
}

function schemaOf(node: Json): Json {
  if (!isObject(node)) return node;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key)) continue;
    if (key === '$ref') out.$ref = refOf(value);
    else if (key === '$defs' || key === 'definitions')
      out.definitions = { ...(out.definitions as object), ...mapOf(value) };
    else if (key === 'prefixItems') out.items = subschemas(value);
    else if (key === 'items' && 'prefixItems' in node) out.additionalItems = schemaOf(value);
    else if (key === 'dependentRequired' || key === 'dependentSchemas') {
      out.dependencies = {
        ...(out.dependencies as object),
        ...(key === 'dependentSchemas' ? mapOf(value) : isObject(value) ? value : {}),
      };
    } else if (SCHEMA_MAPS.has(key)) out[key] = isObject(value) ? mapOf(value) : value;
    else if (SCHEMA_VALUES.has(key)) out[key] = subschemas(value);
    else out[key] = value;
  }
  return out;
}

function mapOf(value: Json): Record<string, Json> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, schemaOf(schema)]));
}

/** The draft-07 form of a 2020-12 JSON Schema: definitions for $defs, items/additionalItems for prefixItems/items. */
export function toDraft07(schema: Record<string, unknown>): Record<string, unknown> {
  const converted = schemaOf(schema) as Record<string, unknown>;
  return '$schema' in converted ? { ...converted, $schema: DRAFT_07 } : { $schema: DRAFT_07, ...converted };
}
