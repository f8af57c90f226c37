import { Document, isMap, isScalar, type YAMLMap } from 'yaml';
import { alternatives, typesOf, type JsonSchema } from './json-schema.js';

function describe(node: JsonSchema): string | undefined {
  const alt = alternatives(node).find((a) => a.description) ?? node;
  const text = node.description ?? alt.description;
  const secret = alternatives(node).some((a) => a.writeOnly) || node.writeOnly;
  if (!text && !secret) return undefined;
  return [text, secret ? '(secret: never printed by kc)' : undefined].filter(Boolean).join(' ');
}

/** What a value may be, for a key with no default: its JSON types or enum values (`string`, `a | b`). */
function shape(node: JsonSchema): string {
  const values = alternatives(node).flatMap((a) => a.enum ?? (a.const !== undefined ? [a.const] : []));
  if (values.length > 0) return values.map((v) => JSON.stringify(v)).join(' | ');
  return [...typesOf(node)].filter((t) => t !== 'null').join(' | ') || 'any';
}

/** Keys the defaults do not set: the required ones, and the optional ones (with what they may be). */
interface Unset {
  required: string[];
  optional: string[];
}

function annotate(map: YAMLMap, schema: JsonSchema): Unset {
  const objectAlt = alternatives(schema).find((a) => a.properties);
  const unset: Unset = { required: [], optional: [] };
  for (const [key, child] of Object.entries(objectAlt?.properties ?? {})) {
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
    const text = describe(child);
    if (!pair) {
      if (objectAlt?.required?.includes(key)) unset.required.push(`${key}${text ? ` - ${text}` : ''}`);
      else unset.optional.push(`${key}: <${shape(child)}>${text ? ` - ${text}` : ''}`);
      continue;
    }
    if (text && isScalar(pair.key)) pair.key.commentBefore = ` ${text}`;
    if (isMap(pair.value)) {
      const nested = annotate(pair.value, child);
      nested.required.forEach((m) => unset.required.push(`${key}.${m}`));
      nested.optional.forEach((m) => unset.optional.push(`${key}.${m}`));
    }
  }
  return unset;
}

/**
 * The defaults as YAML, each key commented with its description; required keys without defaults listed on top, and
 * optional ones without defaults (unset unless given) commented out at the end, so every value is shown.
 */
export function valuesDocument(schema: JsonSchema, defaults: unknown): string {
  const doc = new Document(defaults ?? {});
  const unset = isMap(doc.contents) ? annotate(doc.contents, schema) : { required: [], optional: [] };
  if (unset.required.length) {
    doc.commentBefore = [' Required, no default (set these):', ...unset.required.map((m) => `   ${m}`)].join('\n');
  }
  if (unset.optional.length) {
    doc.comment = [' Optional, no default (unset unless given):', ...unset.optional.map((m) => `   ${m}`)].join('\n');
  }
  return doc.toString({ lineWidth: 0 });
}
