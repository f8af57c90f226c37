import { describe, expect, test } from '@jest/globals';
import { layerOf, mergeValues, type Provenance } from '../../../src/values/index.js';

describe('mergeValues', () => {
  test('maps merge, lists replace, null deletes', () => {
    const base = { a: { x: 1, y: 2 }, list: [1, 2, 3], gone: 'yes', keep: true };
    const out = mergeValues(base, { a: { y: 3, z: 4 }, list: [9], gone: null });
    expect(out).toEqual({ a: { x: 1, y: 3, z: 4 }, list: [9], keep: true });
  });

  test('does not modify its inputs', () => {
    const base = { a: { x: 1 } };
    const layer = { a: { y: [1] } };
    const out = mergeValues(base, layer);
    (out.a as { y: number[] }).y.push(2);
    expect(base).toEqual({ a: { x: 1 } });
    expect(layer).toEqual({ a: { y: [1] } });
  });

  test('provenance names the layer of every leaf, and a replaced subtree forgets lower layers', () => {
    const prov: Provenance = new Map();
    let v = mergeValues({}, { image: { repository: 'mysql', tag: '5.7.14' }, list: [{ a: 1 }] }, 'defaults', prov);
    v = mergeValues(v, { image: { tag: '5.7.15' }, list: [{ b: 2 }] }, '-f prod.yaml', prov);
    expect(layerOf(prov, ['image', 'repository'])).toBe('defaults');
    expect(layerOf(prov, ['image', 'tag'])).toBe('-f prod.yaml');
    expect(layerOf(prov, ['list', 0, 'b'])).toBe('-f prod.yaml');
    expect(v.list).toEqual([{ b: 2 }]);
  });
});
