import { describe, expect, test } from '@jest/globals';
import { rollbackRevisions } from '../../../src/actions/rollback-target.js';
import { MemoryDriver } from '../../../src/release/drivers/memory-driver.js';
import { ReleaseStore, type ReleaseRecord, type SummaryFilter } from '../../../src/release/index.js';

const revision = (n: number, status: ReleaseRecord['status']): ReleaseRecord => ({
  name: 'app',
  namespace: 'ns',
  revision: n,
  status,
  chart: { name: 'c', version: '1.0.0' },
  description: `r${n}`,
  updated: `t${n}`,
  digest: `d${n}`,
  values: {},
  userValues: {},
  secretPaths: [],
  inventory: [],
  objects: [],
  hookObjects: [],
  firstDeployed: 't1',
  deployedBy: 'u@h',
});

/** A store holding these revisions, recording the filter of every index read. */
async function storeWith(revisions: [number, ReleaseRecord['status']][]) {
  const driver = new MemoryDriver();
  for (const [n, status] of revisions) await driver.create(revision(n, status));
  const reads: (SummaryFilter | undefined)[] = [];
  const summaries = driver.summaries.bind(driver);
  driver.summaries = (namespace, name, filter) => (reads.push(filter), summaries(namespace, name, filter));
  return { store: new ReleaseStore(driver), reads };
}

const kept = [
  [1, 'superseded'],
  [2, 'superseded'],
  [3, 'superseded'],
  [4, 'deployed'],
] as [number, ReleaseRecord['status']][];
const recent = { withoutSuperseded: true };

describe('rollbackRevisions with every revision kept (historyMax 0)', () => {
  test('goes to the revision before the latest without reading the superseded index entries', async () => {
    const { store, reads } = await storeWith(kept);
    const found = await rollbackRevisions(store, 'ns', 'app', undefined, 0);
    expect([found.target.revision, found.target.status, found.latest.revision]).toEqual([3, 'superseded', 4]);
    expect(reads).toEqual([recent]);
  });

  test('goes to a named revision the same way, and to the latest when it was uninstalled', async () => {
    const { store, reads } = await storeWith(kept);
    expect((await rollbackRevisions(store, 'ns', 'app', 1, 0)).target.description).toBe('r1');
    const uninstalled = await storeWith([
      [1, 'superseded'],
      [2, 'uninstalled'],
    ]);
    expect((await rollbackRevisions(uninstalled.store, 'ns', 'app', undefined, 0)).target.revision).toBe(2);
    expect([...reads, ...uninstalled.reads]).toEqual([recent, recent]);
  });

  test('a gap before the latest (left by trimming) is resolved from the whole index', async () => {
    const { store, reads } = await storeWith([
      [5, 'deployed'],
      [7, 'failed'],
    ]);
    const found = await rollbackRevisions(store, 'ns', 'app', undefined, 0);
    expect([found.target.revision, found.latest.revision]).toEqual([5, 7]);
    expect(reads).toEqual([recent, undefined]);
  });

  test('a missing revision or release fails as with the whole index', async () => {
    const { store } = await storeWith(kept);
    await expect(rollbackRevisions(store, 'ns', 'app', 9, 0)).rejects.toMatchObject({
      code: 'REVISION_NOT_FOUND',
      message: 'revision 9 does not exist (or was trimmed from history)',
      hint: 'revisions kept: 1, 2, 3, 4',
    });
    await expect(rollbackRevisions(store, 'ns', 'other', undefined, 0)).rejects.toMatchObject({
      code: 'RELEASE_NOT_FOUND',
    });
  });
});

describe('rollbackRevisions with a history limit', () => {
  test('reads the whole index, as trimming keeps it short', async () => {
    const { store, reads } = await storeWith(kept);
    expect((await rollbackRevisions(store, 'ns', 'app', undefined, 10)).target.revision).toBe(3);
    expect(reads).toEqual([undefined]);
  });
});
