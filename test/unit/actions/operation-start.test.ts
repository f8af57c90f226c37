import { describe, expect, test } from '@jest/globals';
import { letIoProceed, startEarly, startOperation } from '../../../src/actions/operation-start.js';
import { refKey, type ObjectRef } from '../../../src/kube/types.js';
import type { MemoryLocker, ReleaseRecord } from '../../../src/release/index.js';
import { memorySession } from '../../helpers/memory-session.js';

const lockOptions = { waitForLockMs: 0 };
const withNamespace = () => {
  const m = memorySession();
  m.client.objects.set(refKey({ apiVersion: 'v1', kind: 'Namespace', name: 'ns' }), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } });
  return m;
};
const held = (locker: unknown) => (locker as MemoryLocker).held;

describe('startOperation', () => {
  test('takes the lock, then reads the history; revisions a killed holder left pending are marked failed', async () => {
    const { s } = withNamespace();
    const record: ReleaseRecord = {
      name: 'app', namespace: 'ns', revision: 1, status: 'pending-install', chart: { name: 'c', version: '1' }, description: 'Install in progress',
      updated: 'then', digest: 'd', values: {}, userValues: {}, secretPaths: [], objects: [], hookObjects: [], inventory: [], firstDeployed: 'then', deployedBy: 'x',
    };
    await s.store.create(record);
    const started = await startOperation(s, 'ns', 'app', lockOptions);
    expect(held(s.locker).has('ns/app')).toBe(true);
    expect(started.history.map((h) => h.status)).toEqual(['failed']);
    expect((await s.store.history('ns', 'app'))[0].status).toBe('failed');
    await started.lock.release();
    expect(held(s.locker).size).toBe(0);
  });

  test('a failed history read gives the lock back', async () => {
    const { s, driver } = withNamespace();
    driver.summaries = async () => {
      throw new Error('list failed');
    };
    await expect(startOperation(s, 'ns', 'app', lockOptions)).rejects.toThrow('list failed');
    expect(held(s.locker).size).toBe(0);
  });
});

describe('startOperation: the history read when every revision is kept (historyMax 0)', () => {
  const revision = (revision: number, status: ReleaseRecord['status']): ReleaseRecord => ({
    name: 'app', namespace: 'ns', revision, status, chart: { name: 'c', version: '1' }, description: status,
    updated: `t${revision}`, digest: 'd', values: {}, userValues: {}, secretPaths: [], objects: [], hookObjects: [],
    inventory: [], firstDeployed: 't1', deployedBy: 'x',
  });
  const started = async (statuses: ReleaseRecord['status'][], historyMax: number | undefined) => {
    const { s } = withNamespace();
    for (const [i, status] of statuses.entries()) await s.store.create(revision(i + 1, status));
    const start = await startOperation(s, 'ns', 'app', { ...lockOptions, historyMax });
    await start.lock.release();
    return start.history.map((h) => `${h.revision}:${h.status}`);
  };

  test('leaves out superseded revisions when one is deployed: the read does not grow with every upgrade', async () => {
    expect(await started(['superseded', 'superseded', 'deployed', 'failed'], 0)).toEqual(['3:deployed', '4:failed']);
  });

  test('reads every revision when none is deployed: whether one ever was decides install or upgrade', async () => {
    expect(await started(['superseded', 'uninstalled'], 0)).toEqual(['1:superseded', '2:uninstalled']);
    expect(await started(['superseded', 'failed'], 0)).toEqual(['1:superseded', '2:failed']);
  });

  test('reads every revision with a history limit (trimming counts them), or none given', async () => {
    expect(await started(['superseded', 'deployed'], 10)).toEqual(['1:superseded', '2:deployed']);
    expect(await started(['superseded', 'deployed'], undefined)).toEqual(['1:superseded', '2:deployed']);
  });
});

describe('startEarly', () => {
  test('checks the namespace, takes the lock and reads the history, without being awaited', async () => {
    const { s, client } = withNamespace();
    const early = startEarly(s, 'ns', 'app', { ...lockOptions, create: false });
    const started = await early.started;
    expect(client.calls[0]).toBe('get Namespace/ns');
    expect(started?.history).toEqual([]);
    expect(held(s.locker).has('ns/app')).toBe(true);
    expect(await early.namespaceExists).toBe(true);
  });

  test('cancel gives back a lock already taken', async () => {
    const { s } = withNamespace();
    const early = startEarly(s, 'ns', 'app', { ...lockOptions, create: false });
    await early.started;
    await early.cancel();
    expect(held(s.locker).size).toBe(0);
  });

  test('the lock is requested with the namespace check, not after it; cancelled meanwhile, nothing stays locked', async () => {
    const { s, client } = withNamespace();
    let answer: () => void = () => undefined;
    const get = client.get.bind(client);
    client.get = (ref: ObjectRef) => new Promise((resolve) => (answer = () => resolve(get(ref))));
    const early = startEarly(s, 'ns', 'app', { ...lockOptions, create: false });
    await letIoProceed();
    expect(held(s.locker).has('ns/app')).toBe(true); // taken while the namespace is still unanswered
    const cancelling = early.cancel();
    answer();
    await cancelling;
    expect(held(s.locker).size).toBe(0);
  });

  test('a missing namespace fails as ensureNamespace does, unless it is to be created; either way nothing stays locked', async () => {
    const { s } = memorySession();
    await expect(startEarly(s, 'ns', 'app', { ...lockOptions, create: false }).started).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'namespace "ns" does not exist',
    });
    // The memory locker takes locks in any namespace, as a real one does when the namespace appears meanwhile.
    expect(held(s.locker).size).toBe(0);
    const creating = startEarly(s, 'ns', 'app', { ...lockOptions, create: true });
    expect(await creating.started).toBeUndefined();
    expect(await creating.namespaceExists).toBe(false);
    expect(held(s.locker).size).toBe(0);
  });

  test('a lock held by another operation is its error', async () => {
    const { s } = withNamespace();
    const other = await s.locker.acquire('ns', 'app');
    await expect(startEarly(s, 'ns', 'app', { ...lockOptions, create: false }).started).rejects.toMatchObject({ code: 'RELEASE_LOCKED' });
    await other.release();
  });
});
