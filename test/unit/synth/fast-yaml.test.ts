// fastYaml must print byte for byte what the yaml library prints with kc's options, for any plain data: checked
// against the library on tricky strings at every depth and position, and on random documents.
import { describe, expect, test } from '@jest/globals';
import { stringify } from 'yaml';
import { fastYaml } from '../../../src/synth/fast-yaml.js';

const library = (v: unknown) => stringify(v, { sortMapEntries: true, aliasDuplicateObjects: false, lineWidth: 0 });

const STRINGS = [
  '',
  ' ',
  'a',
  'a b',
  'a: b',
  'a:b',
  'a:',
  'a #b',
  'a#b',
  '#a',
  '-',
  '- a',
  '-a',
  '?',
  '? a',
  ':',
  ': a',
  'a,b',
  ',a',
  '[a]',
  '{a}',
  'a[0]',
  '*a',
  '&a',
  '!a',
  '|',
  '>',
  "'a'",
  '"a"',
  '%a',
  '@a',
  '`a',
  'a ',
  ' a',
  'a\tb',
  '\ta',
  'true',
  'True',
  'TRUE',
  'tRue',
  'false',
  'null',
  'Null',
  'NULL',
  '~',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  '0',
  '1',
  '-1',
  '+1',
  '1.5',
  '.5',
  '5.',
  '1e3',
  '1E3',
  '1e+3',
  '1.0e-3',
  '0x1F',
  '0o17',
  '017',
  '1_000',
  '1.2.3',
  '.inf',
  '-.inf',
  '.nan',
  '.NaN',
  '1.10',
  '10m',
  '128Mi',
  '0.5x',
  '3s',
  'v1',
  'apps/v1',
  'nginx:1.25',
  'http://a/b',
  '---',
  '--- a',
  '...',
  '... a',
  'a\nb',
  'a\n',
  '\na',
  'a\n\nb',
  ' a\nb',
  'a\n b',
  'a \nb',
  'a\n\n',
  'line1\n  line2\n',
  'é',
  'ünïcode',
  '日本',
  'a\u0000b',
  'a\u0085b',
  'a\u2028b',
  '\u00a0',
  'a"b',
  "a'b",
  'a\\b',
  'a/b',
  'a(b)',
  '$HOME',
  'x'.repeat(200),
  `${'word '.repeat(40)}end`,
  'a=b',
  'a+b',
  'a@b',
  'a%b',
  '=',
  '<<',
  'a - b',
  'a -b',
  'key: value\n',
  '#!/bin/sh\necho hi\n',
  '1.0.0',
  '8080',
  '0.0',
  '00',
  '1e',
  '1e-',
  '0x',
  '0xG',
  '0o8',
  '+.5',
  '-.5',
  '1.',
  'e3',
  'server {\n  listen 80;\n}\n',
  '  indented first\nsecond',
  'trailing spaces   \nx',
];
const NUMBERS = [0, 1, -1, 0.5, -0.25, 1e21, 1e-7, 123456789, Number.MAX_SAFE_INTEGER, -0, Infinity, -Infinity, NaN];
const KEYS = [
  'a',
  'b',
  'A',
  'z',
  '_',
  'a.b/c',
  'app.kubernetes.io/name',
  '80',
  '1.5',
  'true',
  'null',
  '',
  ' a',
  'a b',
  'a: b',
  'a,b',
  '-a',
  '?a',
  'a#',
  'é',
  'a\nb',
  '[x]',
  '~',
  'kc.dev/release',
];

/** A small deterministic PRNG so a failure reproduces. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  if (depth > 4 || r < 0.35) return pick(STRINGS);
  if (r < 0.42) return pick(NUMBERS);
  if (r < 0.47) return pick([true, false, null]);
  if (r < 0.7) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--) obj[pick(KEYS)] = randomValue(next, depth + 1);
  if (next() < 0.1) obj.skipped = undefined;
  return obj;
}

describe('fastYaml', () => {
  test.each(STRINGS.map((s) => [s]))('the string %j as a value, an item and a key at depths 0 to 3', (s) => {
    for (const shape of [
      { v: s },
      { a: { b: { v: s } } },
      [s],
      { l: [s, s] },
      [[s]],
      [{ v: s, w: 1 }],
      { l: [{ v: s }] },
      { l: [[{ a: [s] }]] },
      { [s]: 'x' },
      { a: { [s]: [s] } },
    ]) {
      expect(fastYaml(shape)).toBe(library(shape));
    }
  });

  test('numbers, booleans, null, empty collections and undefined entries print as the library prints them', () => {
    const doc = { n: NUMBERS, b: [true, false, null], e: { m: {}, l: [], d: { u: undefined } }, l: [[], {}, [[]]] };
    expect(fastYaml(doc)).toBe(library(doc));
    for (const top of [{}, [], 'x', 1, null, true, [1], undefined]) expect(fastYaml(top)).toBe(library(top));
  });

  test('keys are sorted as the library sorts them (by UTF-16 code unit)', () => {
    const doc = { b: 1, a: 2, B: 3, _: 4, 'a.b': 5, aa: 6, '1': 7, é: 8 };
    expect(fastYaml(doc)).toBe(library(doc));
  });

  test('values that are not plain data (a Date, a Map, a class instance) are left to the library', () => {
    class Thing {
      x = 1;
    }
    for (const doc of [{ d: new Date(0) }, { m: new Map([['a', 1]]) }, [new Thing()], { f: [new Set([1])] }]) {
      expect(fastYaml(doc)).toBe(library(doc));
    }
  });

  test('a string and a number that print alike are told apart (the printed-string cache keys by type)', () => {
    const doc = { a: 'Infinity', b: Infinity, c: ['NaN', NaN, '*/5 * * * *'], d: { e: '*/5 * * * *' } };
    expect(fastYaml(doc)).toBe(library(doc));
    expect(fastYaml(doc)).toBe(library(doc));
  });

  test('2000 random documents print byte for byte as the library prints them', () => {
    const next = prng(42);
    for (let i = 0; i < 2000; i++) {
      const doc = randomValue(next, 0);
      expect(fastYaml(doc)).toBe(library(doc));
    }
  });
});
