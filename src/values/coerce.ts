import { typesOf, type JsonSchema } from './json-schema.js';

const INTEGER = /^-?(0|[1-9]\d*)$/;
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * Types the text of a --set scalar by the schema at its path.
 * A field that accepts strings keeps the text as written, so `1194495` or `1.10` never turn into numbers;
 * text that fits no accepted type is left as a string for validation to report.
 */
export function coerceScalar(text: string, node: JsonSchema | undefined): unknown {
  const types = typesOf(node);
  if (types.size === 0) return inferScalar(text);
  if (types.has('string')) return text;
  if (types.has('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  if (types.has('number') && DECIMAL.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
  }
  return text;
}

/**
 * Types --set text where the schema says nothing (free-form maps): booleans and safe integers only.
 * Unlike Helm, decimals and integers with leading zeros or beyond 2^53 stay strings, so versions and IDs survive.
 */
export function inferScalar(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (INTEGER.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  return text;
}
