import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import type { CliIO } from '../../cli/io.js';
import { formatData, table } from '../../cli/output.js';
import { progressReporter } from '../../cli/progress.js';
import { renderError } from '../../cli/render-error.js';
import { renderOperation } from '../../cli/render-operation.js';
import { jsonSafe, safe, terminalSafe, terminalSafeLines, yamlSafe } from '../../cli/terminal-safe.js';
import type { OperationResult } from '../../src/actions/release-operation.js';
import { KcError } from '../../src/errors/index.js';

// Every character class that must never reach the terminal raw.
const HOSTILE = 'a\x1b[31mb\x00c\x07d\x7fe\x85f\x9bg\u202eh\u202ai\u2066j\u2069k\u200el\u200fm\u061cn\rz';
const ESCAPED =
  'a\\x1b[31mb\\x00c\\x07d\\x7fe\\x85f\\x9bg' +
  '\\u{202e}h\\u{202a}i\\u{2066}j\\u{2069}k\\u{200e}l\\u{200f}m\\u{61c}n\\rz';
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('terminalSafe', () => {
  test('shows C0 and C1 controls, DEL, ANSI escapes and bidi controls as visible escapes', () => {
    expect(terminalSafe(HOSTILE)).toBe(ESCAPED);
  });

  test('escapes every character of each class, line feeds and tabs included', () => {
    const codes = [0x00, 0x1f, 0x7f, 0x80, 0x9f, 0x61c, 0x200e, 0x200f, 0x202a, 0x202e, 0x2066, 0x2069];
    const all = codes.map((c) => String.fromCharCode(c));
    for (const ch of all) expect(terminalSafe(`x${ch}y`)).toMatch(/^x\\(x[0-9a-f]{2}|u\{[0-9a-f]+\})y$/);
    expect(terminalSafe('a\nb\tc')).toBe('a\\nb\\tc');
  });

  test('leaves ordinary text alone, other Unicode included', () => {
    const text = 'my-release: ConfigMap/ns/web  Ready (héllo, 日本, ✓, …, "quoted", back\\slash)';
    expect(terminalSafe(text)).toBe(text);
    expect(terminalSafeLines(text)).toBe(text);
  });

  test('terminalSafeLines keeps line feeds and tabs (CRLF as LF) and escapes the rest', () => {
    const text = 'one\r\n\ttwo\u202e\nthree\x1b[2J\rfour';
    expect(terminalSafeLines(text)).toBe('one\n\ttwo\\u{202e}\nthree\\x1b[2J\\rfour');
  });

  test('safe`` escapes what is interpolated, not the template text', () => {
    expect(safe`release "${'r\x1b[1m'}"\n${'x\ny'}`).toBe('release "r\\x1b[1m"\nx\\ny');
    expect(safe`n=${3} ${undefined}`).toBe('n=3 undefined');
  });
});

describe('JSON and YAML output', () => {
  const data = { 'k\u202ey': ['r\u202eq', 'x\x85\x7f', 'multi\nline\u2066', 'plain'], esc: 'a\x1b[31m', n: 5 };

  test('jsonSafe escapes what JSON.stringify leaves raw, and parses to the same data', () => {
    const json = jsonSafe(JSON.stringify(data));
    expect(json).not.toMatch(RAW);
    expect(json).toContain('"k\\u202ey"');
    expect(JSON.parse(json)).toEqual(data);
  });

  test('yamlSafe double-quotes strings holding such characters, escapes them, and parses to the same data', () => {
    const yaml = yamlSafe(data);
    expect(yaml).not.toMatch(RAW);
    expect(yaml).toContain('"k\\u202ey":');
    expect(parse(yaml)).toEqual(data);
    expect(yamlSafe({ plain: 'ok', list: [1] })).toBe('list:\n  - 1\nplain: ok\n');
  });

  test('formatData uses them for -o json and -o yaml', () => {
    expect(formatData('json', data, () => '')).not.toMatch(RAW);
    expect(formatData('yaml', data, () => '')).not.toMatch(RAW);
  });
});

describe('where the CLI prints input', () => {
  test('an error\'s message, details and hint are escaped, each on its own line', () => {
    const options = { details: [`x\ny${HOSTILE}`], hint: `try ${HOSTILE}` };
    const err = new KcError('RELEASE_NOT_FOUND', `release "${HOSTILE}" not found`, options);
    const { text } = renderError(err, false);
    const expected = `Error [RELEASE_NOT_FOUND]: release "${ESCAPED}" not found\n` +
      `  x\\ny${ESCAPED}\nHint: try ${ESCAPED}\n`;
    expect(text).toBe(expected);
    // With color, only kc's own escape sequences are raw.
    const colored = renderError(err, true).text.replace(/\x1b\[[0-9;]*m/g, '');
    expect(colored).not.toMatch(RAW);
  });

  test('an unexpected error\'s message is escaped too', () => {
    const { text } = renderError(new Error(`boom\x1b]0;title\x07`), false);
    expect(text).toContain('internal error: boom\\x1b]0;title\\x07\n');
  });

  test('table cells are escaped and aligned by what is shown', () => {
    const out = table(['NAME', 'DESCRIPTION'], [[`r\u202e`, HOSTILE], ['web', 'ok']]);
    expect(out).toBe(`NAME        DESCRIPTION\nr\\u{202e}   ${ESCAPED}\nweb         ok\n`);
  });

  test('progress lines escape the release, the object and the API server\'s message', () => {
    const written: string[] = [];
    for (const isTTY of [false, true]) {
      const report = progressReporter({ isTTY, stderr: (t: string) => written.push(t) } as unknown as CliIO);
      const ref = { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: `p\u202e` };
      report(`r\x1b[2J`, [{ ref, readiness: { ready: false, reason: `Waiting\x9b`, message: `pull ${HOSTILE}` } }]);
    }
    const line = `… r\\x1b[2J: Pod/ns/p\\u{202e}  Waiting\\x9b (pull ${ESCAPED})\n`;
    expect(written[0]).toBe(line);
    // On a terminal, kc's own line clearing and colors are the only escape sequences.
    expect(written[1].replace(/\x1b\[(2K|J|\d+m)/g, '')).toBe(line);
  });

  test('the operation summary escapes names, the description, reasons and the notes', () => {
    const result: OperationResult = {
      release: `db\x1b[8m`,
      namespace: 'ns',
      revision: 1,
      status: 'deployed',
      noChange: false,
      applied: [],
      pruned: [],
      left: [{ ref: { apiVersion: 'v1', kind: 'Secret', namespace: 'ns', name: `s\u2066` }, reason: `by ${HOSTILE}` }],
      hooks: [],
      description: `Install ${HOSTILE}`,
      notes: `line one\n\tline two\u202e`,
    };
    const out = renderOperation(result, false);
    expect(out).toContain(`db\\x1b[8m: Install ${ESCAPED}\n`);
    expect(out).toContain(`  left Secret/ns/s\\u{2066}: by ${ESCAPED}\n`);
    expect(out).toContain('NOTES:\nline one\n\tline two\\u{202e}\n');
    expect(out.replace(/\t/g, '')).not.toMatch(RAW);
  });
});
