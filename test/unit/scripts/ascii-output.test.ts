// scripts/ascii-output.mjs: the built CLI is ASCII (one byte a character in V8), its comments' text escaped.
import { isAscii } from 'node:buffer';
import { describe, expect, test } from '@jest/globals';
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { asciiOutput } from '../../../scripts/ascii-output.mjs';

const ascii = asciiOutput as (code: string, file: string) => string;

describe('asciiOutput', () => {
  test('writes the non-ASCII characters of line, block and doc comments as \\u escapes', () => {
    const code = ['const a = 1; // a → b', '/* x — y */', '/**', ' * 2^(𝑊−1) ⋅ P', ' */', 'const s = "ok";'].join('\n');
    const out = ascii(code, 'x.cjs');
    expect(isAscii(Buffer.from(out))).toBe(true);
    expect(out.split('\n')).toEqual([
      'const a = 1; // a \\u2192 b',
      '/* x \\u2014 y */',
      '/**',
      ' * 2^(\\ud835\\udc4a\\u22121) \\u22c5 P',
      ' */',
      'const s = "ok";',
    ]);
  });

  test('leaves ASCII code as it is', () => {
    const code = 'const t = tag`a \\u2014 b`;\n';
    expect(ascii(code, 'x.cjs')).toBe(code);
  });

  test('refuses one outside a comment, naming the line (a tagged template sees its raw text)', () => {
    expect(() => ascii('const a = 1;\nio(safe` — ${why}`);\n', 'dist/kc.cjs')).toThrow(
      'dist/kc.cjs:2: non-ASCII character outside a comment; write it as \\u2014 in the source',
    );
  });
});
