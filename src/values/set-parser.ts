import { KcError } from '../errors/index.js';
import type { PathSegment } from './path.js';
import { REDACTED } from './redact.js';
import { MAX_VALUES_DEPTH, nestedDeeperThan } from './depth.js';

/** How the text of a --set value is to be typed. */
export type SetKind = 'set' | 'set-string' | 'set-json' | 'set-file' | 'set-literal';

/** An untyped value from a --set flag: typed later against the chart's schema. */
export type RawSetValue =
  | { type: 'scalar'; text: string }
  | { type: 'list'; items: string[] }
  | { type: 'json'; value: unknown }
  | { type: 'file'; file: string };

/** One assignment parsed from a --set style flag. */
export interface SetEntry {
  kind: SetKind;
  path: PathSegment[];
  value: RawSetValue;
  /** The flag as the user wrote it, for error messages and provenance. */
  source: string;
}

// Syntax errors echo keys, never values: a value may be a secret, and one bad piece of a flag must not print the
// good ones next to it (`--set password=…,tag`). Text without "=" is shown only as far as it looks like a key.
const KEY_LIKE = /^[\w.\-[\]\\]*/;

/** A piece of a flag as an error may show it: `key=<redacted>`, or key-like text up to where it stops being one. */
function shownPiece(piece: string): string {
  const eq = firstUnescapedEquals(piece);
  if (eq >= 0) return `${piece.slice(0, eq)}=${eq + 1 < piece.length ? REDACTED : ''}`;
  const keyLike = KEY_LIKE.exec(piece)![0];
  return keyLike.length === piece.length ? piece : `${piece.slice(0, keyLike.length + 1)}…`;
}

function syntaxError(flag: string, text: string, problem: string): KcError {
  const pieces = flag === 'set-literal' ? [text] : splitTopLevel(text, flag === 'set-json');
  return new KcError('SET_SYNTAX', `--${flag} ${pieces.map(shownPiece).join(',')}: ${problem}`, {
    hint: 'write key.path=value pairs separated by commas; escape literal "," "." "=" with a backslash, e.g. --set a\\.b=c',
  });
}

/** Splits `text` at commas outside braces, brackets and JSON strings, honouring backslash escapes. */
function splitTopLevel(text: string, jsonAware: boolean): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length && !inString) {
      current += ch + text[i + 1];
      i++;
      continue;
    }
    if (jsonAware && ch === '"') {
      if (!inString) inString = true;
      else if (text[i - 1] !== '\\') inString = false;
    }
    if (!inString) {
      if (ch === '{' || ch === '[') depth++;
      if (ch === '}' || ch === ']') depth--;
      if (ch === ',' && depth === 0) {
        parts.push(current);
        current = '';
        continue;
      }
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

/** Index of the first '=' that is not escaped with a backslash. */
function firstUnescapedEquals(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '=') return i;
  }
  return -1;
}

/** Parses `a.b[0].c\.d` into ['a', 'b', 0, 'c.d']. */
export function parseKeyPath(key: string, flag: string, whole: string): PathSegment[] {
  const path: PathSegment[] = [];
  let current = '';
  let pendingName = true;
  const pushName = () => {
    if (current === '') throw syntaxError(flag, whole, `empty key segment in "${key}"`);
    path.push(current);
    current = '';
  };
  for (let i = 0; i < key.length; i++) {
    const ch = key[i];
    if (ch === '\\' && i + 1 < key.length) {
      current += key[++i];
    } else if (ch === '.') {
      if (pendingName) pushName();
      pendingName = true;
    } else if (ch === '[') {
      if (pendingName && current !== '') pushName();
      else if (pendingName && path.length === 0) throw syntaxError(flag, whole, `"${key}" starts with an index`);
      const close = key.indexOf(']', i);
      const index = close < 0 ? NaN : Number(key.slice(i + 1, close));
      if (!Number.isInteger(index) || index < 0 || !/^\d+$/.test(key.slice(i + 1, close))) {
        throw syntaxError(flag, whole, `list index in "${key}" must be a whole number like [0]`);
      }
      path.push(index);
      i = close;
      pendingName = false;
    } else {
      if (!pendingName) throw syntaxError(flag, whole, `expected "." or "[" after "]" in "${key}"`);
      current += ch;
    }
  }
  if (pendingName) pushName();
  return path;
}

function unescapeValue(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function parseValue(kind: SetKind, text: string, flag: string, whole: string): RawSetValue {
  if (kind === 'set-json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      // JSON.parse's message may quote the text (a secret, perhaps): only where it failed is kept.
      const message = (err as Error).message;
      const at = /position (\d+)/.exec(message);
      const where = at ? `at character ${Number(at[1]) + 1}` : /end of JSON/.test(message) ? 'it ends too early' : 'check its quotes, brackets and commas';
      throw syntaxError(flag, whole, `value is not valid JSON (${where})`);
    }
    if (nestedDeeperThan(value)) {
      const shown = splitTopLevel(whole, true).map(shownPiece).join(',');
      throw new KcError('VALUES_INVALID', `--${flag} ${shown}: value is nested deeper than ${MAX_VALUES_DEPTH} levels`, {
        hint: `flatten the value; values may nest at most ${MAX_VALUES_DEPTH} maps or lists deep`,
      });
    }
    return { type: 'json', value };
  }
  if (kind === 'set-file') return { type: 'file', file: text };
  if (kind === 'set-literal') return { type: 'scalar', text };
  if (text.startsWith('{') && text.endsWith('}')) {
    const inner = text.slice(1, -1);
    const items = inner === '' ? [] : splitTopLevel(inner, false).map(unescapeValue);
    return { type: 'list', items };
  }
  return { type: 'scalar', text: unescapeValue(text) };
}

/** Parses the text of one --set/--set-string/--set-json/--set-file/--set-literal flag into entries. */
export function parseSetFlag(kind: SetKind, text: string): SetEntry[] {
  const pieces = kind === 'set-literal' ? [text] : splitTopLevel(text, kind === 'set-json');
  return pieces.map((piece) => {
    const eq = firstUnescapedEquals(piece);
    if (eq < 0) throw syntaxError(kind, text, `"${shownPiece(piece)}" has no "=": expected key=value`);
    const key = piece.slice(0, eq);
    if (key.trim() === '') throw syntaxError(kind, text, `"${shownPiece(piece)}" has an empty key`);
    const path = parseKeyPath(key, kind, text);
    return { kind, path, value: parseValue(kind, piece.slice(eq + 1), kind, text), source: `--${kind} ${piece}` };
  });
}
