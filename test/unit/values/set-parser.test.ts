import { describe, expect, test } from '@jest/globals';
import { parseSetFlag, resolveValues, type JsonSchema, type SetKind } from '../../../src/values/index.js';
import { isKcError } from '../../../src/errors/index.js';

// A schema like a chart's: strings, numbers, booleans, a list of numbers and a free-form map.
const schema: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    tag: { type: 'string' },
    port: { type: 'integer' },
    ratio: { type: 'number' },
    enabled: { type: 'boolean' },
    ports: { type: 'array', items: { type: 'integer' } },
    hosts: { type: 'array', items: { type: 'object', properties: { host: { type: 'string' }, port: { type: 'integer' } } } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    extra: { type: 'object' },
    maybe: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
  },
};

function apply(flags: [SetKind, string][], base: Record<string, unknown> = {}): Record<string, unknown> {
  const sets = flags.flatMap(([kind, text]) => parseSetFlag(kind, text));
  return resolveValues(schema, base, [{ label: 'test', sets }], (f) => `contents of ${f}`).values;
}

// [flags, expected values, why]
const cases: [[SetKind, string][], Record<string, unknown>, string][] = [
  [[['set', 'name=web']], { name: 'web' }, 'plain string'],
  [[['set', 'extra.a.b.c=d']], { extra: { a: { b: { c: 'd' } } } }, 'nested path creates maps'],
  [[['set', 'name=a,tag=b']], { name: 'a', tag: 'b' }, 'comma separates assignments'],
  [[['set', 'tag=1194495']], { tag: '1194495' }, 'string field keeps digits (Helm turns them into a number)'],
  [[['set', 'tag=1.10']], { tag: '1.10' }, 'string field keeps 1.10 (Helm 2 made it 1.1)'],
  [[['set', 'tag=true']], { tag: 'true' }, 'string field keeps "true"'],
  [[['set', 'tag=0123']], { tag: '0123' }, 'leading zero survives on a string field'],
  [[['set', 'port=8080']], { port: 8080 }, 'integer field gets a number'],
  [[['set', 'port=abc']], { port: 'abc' }, 'bad number stays text for validation to report'],
  [[['set', 'ratio=1e3']], { ratio: 1000 }, 'number field accepts exponent form'],
  [[['set', 'enabled=false']], { enabled: false }, 'boolean field'],
  [[['set', 'enabled=yes']], { enabled: 'yes' }, 'yes is not a boolean (YAML 1.1 surprise avoided)'],
  [[['set', 'ports={80,443}']], { ports: [80, 443] }, 'list syntax typed by item schema'],
  [[['set', 'ports={}']], { ports: [] }, 'empty list'],
  [[['set', 'hosts[0].host=a.test,hosts[0].port=80']], { hosts: [{ host: 'a.test', port: 80 }] }, 'index into list of maps'],
  [[['set', 'ports[1]=9']], { ports: [null, 9] }, 'index past the end pads with null, like Helm'],
  [[['set', 'annotations.nginx\\.ingress\\.kubernetes\\.io/rewrite=/']], { annotations: { 'nginx.ingress.kubernetes.io/rewrite': '/' } }, 'escaped dots in a key'],
  [[['set', 'name=a\\,b']], { name: 'a,b' }, 'escaped comma in a value'],
  [[['set', 'name=a=b']], { name: 'a=b' }, 'value may contain "="'],
  [[['set', 'name=']], { name: '' }, 'empty value is an empty string'],
  [[['set', 'extra.x=true']], { extra: { x: true } }, 'free-form map infers booleans'],
  [[['set', 'extra.x=42']], { extra: { x: 42 } }, 'free-form map infers safe integers'],
  [[['set', 'extra.x=12345678901234567890']], { extra: { x: '12345678901234567890' } }, 'integers beyond 2^53 stay strings (Helm loses digits)'],
  [[['set', 'extra.x=1.5']], { extra: { x: '1.5' } }, 'free-form decimals stay strings'],
  [[['set', 'extra.x=007']], { extra: { x: '007' } }, 'free-form leading zeros stay strings'],
  [[['set', 'maybe=5']], { maybe: 5 }, 'nullable integer'],
  [[['set-string', 'port=8080']], { port: '8080' }, '--set-string never types'],
  [[['set-string', 'name=null']], { name: 'null' }, '--set-string null is the text "null"'],
  [[['set-json', 'extra={"a":[1,2],"b":{"c":null}}']], { extra: { a: [1, 2], b: { c: null } } }, '--set-json object'],
  [[['set-json', 'ports=[1,2],name="x"']], { ports: [1, 2], name: 'x' }, '--set-json splits at top-level commas only'],
  [[['set-file', 'name=cert.pem']], { name: 'contents of cert.pem' }, '--set-file reads the file'],
  [[['set-literal', 'name=a,b=c']], { name: 'a,b=c' }, '--set-literal takes everything after the first "="'],
  [[['set', 'name=a'], ['set', 'name=b']], { name: 'b' }, 'later flags win'],
];

describe('--set parsing and typing', () => {
  test.each(cases)('%j → %j (%s)', (flags, expected) => {
    expect(apply(flags)).toEqual(expected);
  });

  test('null deletes a key set by a lower layer', () => {
    expect(apply([['set', 'name=null']], { name: 'x', tag: 'y' })).toEqual({ tag: 'y' });
  });

  test('a set entry keeps the flag text as its source', () => {
    expect(parseSetFlag('set', 'a.b=1,c=2').map((e) => e.source)).toEqual(['--set a.b=1', '--set c=2']);
  });

  const bad: [SetKind, string, RegExp][] = [
    ['set', 'novalue', /has no "="/],
    ['set', '=x', /empty key/],
    ['set', 'a..b=1', /empty key segment/],
    ['set', 'a[x]=1', /whole number/],
    ['set', 'a[-1]=1', /whole number/],
    ['set', '[0]=1', /starts with an index/],
    ['set-json', 'a={bad', /not valid JSON/],
  ];
  test.each(bad)('%s %s is a SET_SYNTAX error', (kind, text, message) => {
    let caught: unknown;
    try {
      parseSetFlag(kind, text);
    } catch (err) {
      caught = err;
    }
    expect(isKcError(caught) && caught.code).toBe('SET_SYNTAX');
    expect((caught as Error).message).toMatch(message);
    expect((caught as { hint?: string }).hint).toMatch(/key\.path=value/);
  });

  test.each([
    ['set', 'rootPassword=hunter2,image.tag', '--set rootPassword=<redacted>,image.tag: "image.tag" has no "=": expected key=value'],
    ['set', 'rootPassword:hunter2', '--set rootPassword:…: "rootPassword:…" has no "=": expected key=value'],
    ['set', 'a..b=hunter2', '--set a..b=<redacted>: empty key segment in "a..b"'],
    ['set-json', 'auth={"token": hunter2}', '--set-json auth=<redacted>: value is not valid JSON (check its quotes, brackets and commas)'],
    ['set-json', 'auth={hunter2', '--set-json auth=<redacted>: value is not valid JSON (at character 2)'],
    ['set-json', 'auth=["hunter2",', '--set-json auth=<redacted>: value is not valid JSON (it ends too early)'],
    ['set-literal', '=hunter2', '--set-literal =<redacted>: "=<redacted>" has an empty key'],
  ] as [SetKind, string, string][])('%s %s: the error names keys and never a value', (kind, text, message) => {
    let caught: unknown;
    try {
      parseSetFlag(kind, text);
    } catch (err) {
      caught = err;
    }
    expect((caught as Error).message).toBe(message);
    expect((caught as Error).message).not.toContain('hunter2');
  });
});
