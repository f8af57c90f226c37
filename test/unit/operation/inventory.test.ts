import { describe, expect, test } from '@jest/globals';
import { mayOwn, staleRefs, type InventoryOf } from '../../../src/operation/inventory.js';
import type { ObjectRef } from '../../../src/kube/types.js';

const ref = (name: string): ObjectRef => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name });
const record = (status: InventoryOf['status'], inventory: string[], stale: string[] = []): InventoryOf => ({
  status,
  inventory: inventory.map(ref),
  stale: stale.map(ref),
  objects: [],
});

describe('mayOwn', () => {
  test('a finished revision owns its inventory; an unfinished one its stale objects too; an uninstalled one nothing', () => {
    expect(mayOwn(record('deployed', ['a'], ['b'])).map((r) => r.name)).toEqual(['a']);
    expect(mayOwn(record('failed', ['a'], ['b', 'a'])).map((r) => r.name)).toEqual(['a', 'b']);
    expect(mayOwn(record('pending-upgrade', ['a'], ['c'])).map((r) => r.name)).toEqual(['a', 'c']);
    expect(mayOwn(record('uninstalled', ['a']))).toEqual([]);
    expect(mayOwn(undefined)).toEqual([]);
  });
});

describe('staleRefs', () => {
  test('what the last revision may own and the new one lacks, except kept objects', () => {
    const last = { ...record('failed', ['a', 'b', 'k'], ['c']), objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'k', namespace: 'ns', annotations: { 'kc.dev/resource-policy': 'keep' } } }] };
    expect(staleRefs([ref('a')], last).map((r) => r.name)).toEqual(['b', 'c']);
  });
});
