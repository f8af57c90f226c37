import { describe, expect, test } from '@jest/globals';
import { MemoryDriver } from '../../../src/release/drivers/memory-driver.js';
import { ReleaseStore, type ReleaseRecord } from '../../../src/release/index.js';

const revision = (n: number, status: ReleaseRecord['status']): ReleaseRecord => ({
  name: 'app', namespace: 'ns', revision: n, status, chart: { name: 'c', version: '1.0.0' }, description: `r${n}`,
  updated: '2026-12-01T00:00:00Z', digest: `d${n}`, values: {}, userValues: {}, secretPaths: [], inventory: [],
  objects: [], hookObjects: [], firstDeployed: '2026-12-01T00:00:00Z', deployedBy: 'u@h',
});

/** A memory store holding revisions 1..n (the last deployed), counting how often the history is read. */
async function storeWith(n: number): Promise<{ store: ReleaseStore; driver: MemoryDriver; reads: () => number }> {
  const driver = new MemoryDriver();
  for (let i = 1; i <= n; i++) await driver.create(revision(i, i === n ? 'deployed' : 'superseded'));
  let reads = 0;
  const summaries = driver.summaries.bind(driver);
  driver.summaries = (...args) => (reads++, summaries(...args));
  return { store: new ReleaseStore(driver), driver, reads: () => reads };
}

describe('ReleaseStore.trim', () => {
  test('deletes the oldest revisions beyond max', async () => {
    const { store, driver } = await storeWith(12);
    expect(await store.trim('ns', 'app', 10)).toBe(2);
    expect([...driver.records.values()].map((r) => r.revision)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  test('reads nothing when the known revision count is within max', async () => {
    const { store, driver, reads } = await storeWith(10);
    expect(await store.trim('ns', 'app', 10, 10)).toBe(0);
    expect(reads()).toBe(0);
    expect(driver.records.size).toBe(10);
  });

  test('reads and trims when the known count is over max', async () => {
    const { store, driver, reads } = await storeWith(11);
    expect(await store.trim('ns', 'app', 10, 11)).toBe(1);
    expect(reads()).toBe(1);
    expect(driver.records.has('ns/app/1')).toBe(false);
  });

  test('never deletes the deployed revision', async () => {
    const driver = new MemoryDriver();
    await driver.create(revision(1, 'deployed'));
    await driver.create(revision(2, 'failed'));
    await driver.create(revision(3, 'failed'));
    expect(await new ReleaseStore(driver).trim('ns', 'app', 1)).toBe(1);
    expect([...driver.records.keys()].sort()).toEqual(['ns/app/1', 'ns/app/3']);
  });
});

describe('ReleaseStore.list', () => {
  test('reads the index without superseded revisions, unless they are listed (--superseded alone)', async () => {
    const { store, driver } = await storeWith(4);
    const filters: unknown[] = [];
    const summaries = driver.summaries.bind(driver);
    driver.summaries = (namespace, name, filter) => (filters.push(filter), summaries(namespace, name, filter));
    expect((await store.list('ns')).map((s) => s.revision)).toEqual([4]);
    expect((await store.list('ns', { states: ['deployed', 'superseded'] })).map((s) => s.revision)).toEqual([4]);
    expect((await store.list('ns', { states: ['superseded'] })).map((s) => s.revision)).toEqual([1, 2, 3]);
    expect(filters).toEqual([{ withoutSuperseded: true }, { withoutSuperseded: true }, undefined]);
  });
});
