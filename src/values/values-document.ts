import { Document, isMap, isScalar, type YAMLMap } from 'yaml';
import { alternatives, type JsonSchema } from './json-schema.js';

function describe(node: JsonSchema): string | undefined {
  const alt = alternatives(node).find((a) => a.description) ?? node;
  const text = node.description ?? alt.description;
  const secret = alternatives(node).some((a) => a.writeOnly) || node.writeOnly;
  if (!text && !secret) return undefined;
  return [text, secret ? '(secret: never printed by kc)' : undefined].filter(Boolean).join(' ');
}

function annotate(map: YAMLMap, schema: JsonSchema): string[] {
  const objectAlt = alternatives(schema).find((a) => a.properties);
  const missing: string[] = [];
  for (const [key, child] of Object.entries(objectAlt?.properties ?? {})) {
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
    const text = describe(child);
    if (!pair) {
      if (objectAlt?.required?.includes(key)) missing.push(`${key}${text ? ` - ${text}` : ''}`);
      continue;
    }
    if (text && isScalar(pair.key)) pair.key.commentBefore = ` ${text}`;
    if (isMap(pair.value)) annotate(pair.value, child).forEach((m) => missing.push(`${key}.${m}`));
  }
  return missing;
}

/** The defaults as YAML, each key commented with its description, and required keys without defaults listed on top. */
export function valuesDocument(schema: JsonSchema, defaults: unknown): string {
  const doc = new Document(defaults ?? {});
  const missing = isMap(doc.contents) ? annotate(doc.contents, schema) : [];
  if (missing.length) doc.commentBefore = [' Required, no default (set these):', ...missing.map((m) => `   ${m}`)].join('\n');
  return doc.toString({ lineWidth: 0 });
}
