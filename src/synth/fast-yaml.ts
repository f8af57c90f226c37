// The YAML kc writes, fast: the `yaml` library builds a node tree for every value before printing it, which is
// most of a 10,000-object synth's time. This writer prints plain data (objects, arrays, strings, numbers,
// booleans, null) directly, byte for byte as `yaml.stringify(value, { sortMapEntries: true, aliasDuplicateObjects:
// false, lineWidth: 0 })` does. Strings it cannot prove the library prints plain (quoted, multi-line, numeric-
// looking) are printed by the library itself, at the same indentation, so their quoting is the library's.
import { stringify } from 'yaml';

const OPTIONS = { sortMapEntries: true, aliasDuplicateObjects: false, lineWidth: 0 } as const;

/** Characters of a plain scalar this writer prints itself; the first one is narrower (no indicators). */
const PLAIN_VALUE = /^[A-Za-z0-9_/][A-Za-z0-9_./:@=+,()$ -]*$/;
/** Keys are implicit keys: no "," either (the library quotes it there). */
const PLAIN_KEY = /^[A-Za-z0-9_/][A-Za-z0-9_./:@=+()$ -]*$/;
/**
 * What YAML 1.2's core schema reads as a number, boolean or null (the yaml library's own tests, node_modules/yaml/
 * dist/schema/core): such a string of plain characters is printed double-quoted, as the library does.
 */
const CORE_NOT_STRING = new RegExp(
  [
    '^(?:[Tt]rue|TRUE|[Ff]alse|FALSE|~|[Nn]ull|NULL|0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+',
    '|[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*))$',
  ].join(''),
);

/** The string as printed when it is made of plain characters only; undefined when the library must decide. */
function simple(text: string, pattern: RegExp): string | undefined {
  if (text === '') return '""';
  if (!pattern.test(text) || text.endsWith(' ') || text.endsWith(':') || text.includes(': ') || text.includes(' #')) {
    return undefined;
  }
  return CORE_NOT_STRING.test(text) ? `"${text}"` : text;
}

/** Thrown inside the writer when a value is not plain data; the caller then lets the library print all of it. */
class NotPlainData extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A string value as the library prints it as the value of a key at `indent` spaces (or as an item of a sequence
 * at `indent`): it is printed inside maps nested as deep, and cut out after its key.
 */
function libraryScalar(value: string, indent: number, inSequence: boolean): string {
  const key = `${indent}${inSequence ? '-' : ':'}${value}`;
  const known = printed.get(key);
  if (known !== undefined) return known;
  if (printed.size >= PRINTED_LIMIT) printed.clear();
  const text = printScalar(value, indent, inSequence);
  printed.set(key, text);
  return text;
}

/** Strings the library printed, by place: a chart repeats the same few (a cron schedule, a quoted port). */
const printed = new Map<string, string>();
const PRINTED_LIMIT = 10_000;

function printScalar(value: string, indent: number, inSequence: boolean): string {
  let nested: unknown = inSequence ? [value] : { k: value };
  for (let i = 0; i < indent; i += 2) nested = { k: nested };
  const text = stringify(nested, OPTIONS);
  const marker = `${' '.repeat(indent)}${inSequence ? '- ' : 'k: '}`;
  const at = text.indexOf(`\n${marker}`);
  const start = indent === 0 ? (text.startsWith(marker) ? 0 : -1) : at + 1;
  if (start < 0) throw new NotPlainData();
  return text.slice(start + marker.length, text.length - 1);
}

/** A key as the library prints it in a map at `indent` spaces (a document marker is quoted only at the top). */
function libraryKey(key: string, indent: number): string {
  let nested: unknown = { [key]: 0 };
  for (let i = 0; i < indent; i += 2) nested = { k: nested };
  const text = stringify(nested, OPTIONS);
  const last = text.slice(text.lastIndexOf('\n', text.length - 2) + 1);
  const pad = ' '.repeat(indent);
  if (!last.startsWith(pad) || !last.endsWith(': 0\n') || key.includes('\n')) throw new NotPlainData();
  return last.slice(pad.length, -4);
}

function scalar(value: Json, indent: number, inSequence: boolean): string | undefined {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
    return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  }
  if (typeof value === 'string') return simple(value, PLAIN_VALUE) ?? libraryScalar(value, indent, inSequence);
  return undefined;
}

function entriesOf(value: object): [string, Json][] {
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new NotPlainData();
  const entries = Object.entries(value as Record<string, Json | undefined>).filter(
    (e): e is [string, Json] => e[1] !== undefined,
  );
  return entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function check(value: unknown): asserts value is Json {
  const t = typeof value;
  if (value === null || t === 'string' || t === 'number' || t === 'boolean' || Array.isArray(value)) return;
  if (t !== 'object') throw new NotPlainData();
}

/** Appends `value` as the block under a key or item; `indent` is the column of the collection's entries. */
function block(out: string[], value: Json, indent: number, inSequence: boolean): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      check(item);
      out.push(i === 0 && inSequence ? '- ' : `${pad}- `);
      item0(out, item as Json, indent + 2);
    });
    return;
  }
  entriesOf(value as object).forEach(([key, item], i) => {
    check(item);
    const k = simple(key, PLAIN_KEY) ?? libraryKey(key, indent);
    out.push(i === 0 && inSequence ? `${k}:` : `${pad}${k}:`);
    const text = scalar(item, indent, false);
    if (text !== undefined) out.push(text.startsWith('\n') ? `${text}\n` : ` ${text}\n`);
    else if (isEmpty(item)) out.push(Array.isArray(item) ? ' []\n' : ' {}\n');
    else {
      out.push('\n');
      // A sequence under a key is indented by two, as the library's indentSeq does.
      block(out, item, indent + 2, false);
    }
  });
}

function isEmpty(value: Json): boolean {
  return Array.isArray(value) ? value.length === 0 : entriesOf(value as object).length === 0;
}

/** An item of a sequence, after its "- ": a scalar, an empty collection, or a collection starting on that line. */
function item0(out: string[], item: Json, indent: number): void {
  const text = scalar(item, indent - 2, true);
  if (text !== undefined) out.push(`${text}\n`);
  else if (isEmpty(item)) out.push(Array.isArray(item) ? '[]\n' : '{}\n');
  else block(out, item, indent, true);
}

/** Serializes one value as YAML exactly as the `yaml` library does with sorted keys, no anchors and no folding. */
export function fastYaml(value: unknown): string {
  try {
    check(value);
    const text = scalar(value, 0, false);
    if (text !== undefined || value === undefined) return stringify(value, OPTIONS);
    if (isEmpty(value)) return Array.isArray(value) ? '[]\n' : '{}\n';
    const out: string[] = [];
    block(out, value, 0, false);
    return out.join('');
  } catch (err) {
    if (err instanceof NotPlainData) return stringify(value, OPTIONS);
    throw err;
  }
}
