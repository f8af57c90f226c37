import { describe, expect, test } from '@jest/globals';
import { KEY_SECRET, SecretDriver } from '../../../src/release/drivers/secret-driver.js';
import type { ReleaseRecord } from '../../../src/release/index.js';
import { FakeKube } from '../../helpers/fake-kube.js';

const record: ReleaseRecord = {
  name: 'app',
  namespace: 'ns',
  revision: 1,
  status: 'pending-install',
  chart: { name: 'c', version: '1.0.0' },
  description: 'Install in progress',
  updated: '2026-11-25T00:00:00Z',
  digest: 'd',
  values: { password: 's3cret' },
  userValues: {},
  secretPaths: [],
  inventory: [],
  objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' }, data: { k: 'v' } }],
  hookObjects: [],
  firstDeployed: '2026-11-25T00:00:00Z',
  deployedBy: 'u@h',
};
const keyCreated = (client: FakeKube) => client.calls.includes(`create Secret/${KEY_SECRET}`);

describe('SecretDriver record key', () => {
  test('warm() only reads: a namespace without a key gets it when the first record is written', async () => {
    const client = new FakeKube();
    const driver = new SecretDriver(client);
    driver.warm('ns');
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.calls.every((c) => c.startsWith('get ') || c.startsWith('list '))).toBe(true);
    expect(keyCreated(client)).toBe(false);

    await driver.create(record);
    expect(keyCreated(client)).toBe(true);
    expect(client.calls.filter((c) => c === `get Secret/${KEY_SECRET}`)).toHaveLength(1); // the warmed read was used
    expect((await driver.read('ns', 'app', 1)).objects).toEqual(record.objects);
  });

  test('warm() on a namespace without a key also counts its record heads then, and the key create reuses the count', async () => {
    const client = new FakeKube();
    const driver = new SecretDriver(client);
    driver.warm('ns');
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.calls).toEqual([`get Secret/${KEY_SECRET}`, 'list Secret']); // both before any write
    await driver.create(record);
    expect(client.calls.filter((c) => c === 'list Secret')).toHaveLength(1);
    expect(keyCreated(client)).toBe(true);
  });

  test('records left without their key are refused from the warmed count too: no new key over them', async () => {
    const client = new FakeKube();
    await new SecretDriver(client).create(record);
    await client.delete({ apiVersion: 'v1', kind: 'Secret', namespace: 'ns', name: KEY_SECRET });
    const driver = new SecretDriver(client);
    driver.warm('ns');
    await new Promise((resolve) => setImmediate(resolve));
    const calls = client.calls.length;
    await expect(driver.create({ ...record, name: 'other' })).rejects.toMatchObject({ code: 'RECORD_KEY_MISSING' });
    expect(client.calls.slice(calls)).toEqual([]); // the warmed count decided: nothing created
  });

  test('prepareWrite() creates a missing key ahead of the write; the write then reuses it', async () => {
    const client = new FakeKube();
    const driver = new SecretDriver(client);
    driver.prepareWrite('ns');
    await new Promise((resolve) => setImmediate(resolve));
    expect(keyCreated(client)).toBe(true);
    const calls = client.calls.length;
    await driver.create(record);
    expect(client.calls.slice(calls).some((c) => c.includes(KEY_SECRET))).toBe(false);
  });

  test('a failed warm read is forgotten and met again when the key is used', async () => {
    const client = new FakeKube();
    const get = client.get.bind(client);
    let fail = true;
    client.get = async (ref) => {
      if (fail) throw new Error('connection reset');
      return get(ref);
    };
    const driver = new SecretDriver(client);
    driver.warm('ns');
    await new Promise((resolve) => setImmediate(resolve));
    fail = false;
    await driver.create(record);
    expect((await driver.read('ns', 'app', 1)).values).toEqual(record.values);
  });
});

describe('SecretDriver record writes are conditional on the version this process saw', () => {
  test('a status change over a record another process changed meanwhile is CONFLICT, and nothing is written', async () => {
    const client = new FakeKube();
    const mine = new SecretDriver(client);
    await mine.create(record);
    const other = new SecretDriver(client);
    await other.summaries('ns', 'app');
    await other.setStatus('ns', 'app', 1, 'failed', 'interrupted', '2026-11-25T00:01:00Z');
    await expect(
      mine.setStatus('ns', 'app', 1, 'deployed', 'Install complete', '2026-11-25T00:02:00Z'),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'revision 1 of release "app" was changed by another process while this one ran',
    });
    expect((await other.summaries('ns', 'app'))[0]).toMatchObject({ status: 'failed', description: 'interrupted' });
    await expect(mine.remove('ns', 'app', 1)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await other.summaries('ns', 'app')).toHaveLength(1);
  });

  test('its own successive changes go through: each answer carries the next version', async () => {
    const client = new FakeKube();
    const driver = new SecretDriver(client);
    await driver.create(record);
    await driver.setStatus('ns', 'app', 1, 'deployed', 'Install complete', '2026-11-25T00:02:00Z');
    await driver.setStatus('ns', 'app', 1, 'superseded', 'Install complete', '2026-11-25T00:02:00Z');
    await driver.remove('ns', 'app', 1);
    expect(await driver.summaries('ns', 'app')).toEqual([]);
  });
});

describe('SecretDriver index reads', () => {
  test('withoutSuperseded asks the API server for the heads not superseded; without it, every head comes', async () => {
    const client = new FakeKube();
    const driver = new SecretDriver(client);
    for (const [revision, status] of [[1, 'superseded'], [2, 'superseded'], [3, 'failed'], [4, 'deployed']] as const) {
      await driver.create({ ...record, revision, status });
    }
    const recent = await driver.summaries('ns', 'app', { withoutSuperseded: true });
    expect(recent.map((s) => `${s.revision}:${s.status}`).sort()).toEqual(['3:failed', '4:deployed']);
    expect((await driver.summaries('ns', 'app')).map((s) => s.revision).sort()).toEqual([1, 2, 3, 4]);
    expect(await driver.summaries('ns', undefined, { withoutSuperseded: true })).toHaveLength(2);
  });
});
