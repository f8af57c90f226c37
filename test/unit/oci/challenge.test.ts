// WWW-Authenticate: Bearer and Basic challenges, quoted strings with escapes, several challenges, odd input.
import { expect, test } from '@jest/globals';
import { parseChallenges } from '../../../src/oci/challenge.js';

test.each([
  [
    'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"',
    [
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' },
      },
    ],
  ],
  ['Basic realm="kc-test"', [{ scheme: 'basic', params: { realm: 'kc-test' } }]],
  ['basic Realm=unquoted', [{ scheme: 'basic', params: { realm: 'unquoted' } }]],
  [
    'Basic realm="a", Bearer realm="https://t/x", error="insufficient_scope"',
    [
      { scheme: 'basic', params: { realm: 'a' } },
      { scheme: 'bearer', params: { realm: 'https://t/x', error: 'insufficient_scope' } },
    ],
  ],
  ['Bearer realm="say \\"hi\\", ok"', [{ scheme: 'bearer', params: { realm: 'say "hi", ok' } }]],
  [
    'Negotiate abc==, Basic realm="r"',
    [
      { scheme: 'negotiate', params: {} },
      { scheme: 'basic', params: { realm: 'r' } },
    ],
  ],
  ['Bearer', [{ scheme: 'bearer', params: {} }]],
  ['', []],
  ['Bearer realm="unterminated', [{ scheme: 'bearer', params: {} }]],
  ['=garbage', []],
])('%s', (header, expected) => {
  expect(parseChallenges(header)).toEqual(expected);
});

test('repeated headers are read in order; no parameter reaches the prototype', () => {
  const found = parseChallenges(['Basic realm="one"', 'Bearer realm="https://t",__proto__="x"']);
  expect(found.map((c) => c.scheme)).toEqual(['basic', 'bearer']);
  expect(Object.getPrototypeOf(found[1].params)).toBe(Object.prototype);
  expect(Object.hasOwn(found[1].params, '__proto__')).toBe(true);
  expect(parseChallenges(undefined)).toEqual([]);
});
