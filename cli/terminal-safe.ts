// Text kc prints may come from outside kc: release names, values keys, file paths, chart names, messages quoted from
// the API server or a repository. Printed raw, a control character or an ANSI escape sequence would drive the
// terminal (recolor, move the cursor, rewrite what was printed) and a bidi control would reorder what is shown.
// Every such character is shown as a visible escape instead: \x1b, \n, \x7f, \x9b, \u{202e}.

import { Document, visit } from 'yaml';
import { toYaml } from '../src/synth/yaml.js';

// C0 controls, DEL, C1 controls, and the Unicode bidi controls (LRM/RLM, ALM, embeddings/overrides, isolates).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// The same but for tabs and line feeds, which text of several lines keeps.
const UNSAFE_IN_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (NAMED[ch]) return NAMED[ch];
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** One line of text from outside kc, with every control, DEL, C1 and bidi character (newlines too) escaped. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** Like terminalSafe, but keeps line breaks (CRLF as LF) and tabs: for text of several lines (a chart's notes). */
export function terminalSafeLines(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE_IN_LINES, escapeChar);
}

/** A template tag: the interpolated values are made terminalSafe, the template's own text is kept as written. */
export function safe(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, s, i) => out + terminalSafe(String(values[i - 1])) + s);
}

// Characters JSON.stringify and the YAML writer leave raw; `\uXXXX` is the same string to a JSON or YAML parser.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** JSON text (from JSON.stringify) with DEL, C1 and bidi characters as \uXXXX escapes; it parses to the same data. */
export function jsonSafe(json: string): string {
  return json.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Data as toYaml writes it, with strings holding DEL, C1 or bidi characters double-quoted and those as \uXXXX. */
export function yamlSafe(data: unknown): string {
  const text = toYaml(data);
  if (!new RegExp(JSON_UNSAFE.source).test(text)) return text;
  return yamlDocumentSafe(new Document(data, { sortMapEntries: true, aliasDuplicateObjects: false }));
}

/** A YAML document's text as yamlSafe writes it (its comments must be terminal-safe already). */
export function yamlDocumentSafe(doc: Document): string {
  visit(doc, {
    Scalar(_key, node) {
      // Only a double-quoted scalar may hold an escape: plain and block ones would show the backslash as text.
      if (typeof node.value === 'string' && new RegExp(JSON_UNSAFE.source).test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return jsonSafe(doc.toString({ lineWidth: 0 }));
}
