import { describe, expect, test } from '@jest/globals';
import { checkLayerKeys, mergeValues, setAtPath } from '../../../src/values/index.js';

describe('reserved values keys', () => {
  test('mergeValues refuses __proto__ from parsed JSON and never touches Object.prototype', () => {
    const layer = JSON.parse('{"a":{"__proto__":{"polluted":"yes"}}}') as Record<string, unknown>;
    expect(() => mergeValues({}, layer, '-f x.yaml')).toThrow(expect.objectContaining({ code: 'VALUES_INVALID' }) as unknown as Error);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('merged maps have no prototype, so even an unchecked key would stay data', () => {
    const merged = mergeValues({ a: { b: 1 } }, { a: { c: 2 } });
    expect(Object.getPrototypeOf(merged)).toBeNull();
    expect(Object.getPrototypeOf(merged.a)).toBeNull();
    expect(merged).toEqual({ a: { b: 1, c: 2 } });
  });

  test.each([['__proto__'], ['constructor'], ['prototype']])('setAtPath refuses %s at any depth', (key) => {
    expect(() => setAtPath({}, ['a', key, 'x'], 1)).toThrow(`values key "${key}" is not allowed`);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  test('checkLayerKeys finds a prototype set by an object literal, and leaves class instances alone', () => {
    const smuggled = { web: { __proto__: { hidden: 1 } } } as Record<string, unknown>;
    expect(() => checkLayerKeys({ label: 'env', values: smuggled })).toThrow('values key "__proto__" is not allowed (at web.__proto__, set by env)');
    expect(() => checkLayerKeys({ label: 'env', values: { when: new Date(0), list: [{ ok: 1 }] } })).not.toThrow();
    expect(() => checkLayerKeys({ label: 'env', values: { list: [{ constructor: 1 }] } })).toThrow('(at list[0].constructor, set by env)');
  });
});
