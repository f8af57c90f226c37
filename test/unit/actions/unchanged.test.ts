// The no-op deploy check: every release's deployed revision is what the memo says and the cluster still holds it,
// read with one LIST per kind and namespace for all releases together.
import { describe, expect, test } from '@jest/globals';
import { runOperation, type ReleasePlan } from '../../../src/actions/release-operation.js';
import { unchangedReleases } from '../../../src/actions/unchanged.js';
import { QUICK_OPERATION } from '../../helpers/config-map-plan.js';
import { memorySession } from '../../helpers/memory-session.js';

const options = QUICK_OPERATION;

const plan = (release: string): ReleasePlan => {
  const names = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => `${release}-${n}`);
  return {
    name: release,
    namespace: 'ns',
    chart: { name: 'maps', version: '1.0.0' },
    objects: names.map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' } })),
    values: {},
    userValues: {},
    secretPaths: [],
  };
};

async function deployed(count: number) {
  const { s, client } = memorySession();
  const releases = [];
  for (let i = 0; i < count; i++) {
    const name = `r${i}`;
    await runOperation(s, plan(name), { kind: 'upgrade', install: true }, options);
    const digest = (await s.store.history('ns', name)).at(-1)!.digest;
    releases.push({ name, digest });
  }
  client.calls.length = 0;
  return { s, client, releases };
}

describe('unchangedReleases', () => {
  test('releases in one namespace are checked with one LIST of each kind, however many there are', async () => {
    const { s, client, releases } = await deployed(5);
    const results = await unchangedReleases(s, 'ns', releases);
    expect(results?.map((r) => [r.release, r.noChange])).toEqual(releases.map((r) => [r.name, true]));
    expect(client.calls.filter((c) => c.startsWith('list ConfigMap'))).toHaveLength(1);
    expect(client.calls.filter((c) => c.startsWith('apply'))).toEqual([]);
  });

  test('the release index is read once for all releases without superseded revisions', async () => {
    const { s, releases } = await deployed(4);
    const summaries = s.store.driver.summaries.bind(s.store.driver);
    const asked: unknown[] = [];
    s.store.driver.summaries = async (namespace, name, filter) => {
      asked.push([name, filter]);
      return summaries(namespace, name, filter);
    };
    expect(await unchangedReleases(s, 'ns', releases)).toHaveLength(4);
    expect(asked).toEqual([[undefined, { withoutSuperseded: true }]]);
  });

  test('a release upgraded before (its first revision superseded) is judged from its latest revision', async () => {
    const { s, releases } = await deployed(2);
    await runOperation(s, { ...plan('r1'), values: { v: 2 } }, { kind: 'upgrade', install: true }, options);
    const latest = (await s.store.history('ns', 'r1')).at(-1)!;
    expect(latest.revision).toBe(2);
    const results = await unchangedReleases(s, 'ns', [releases[0], { name: 'r1', digest: latest.digest }]);
    expect(results?.map((r) => [r.release, r.revision])).toEqual([['r0', 1], ['r1', 2]]);
    expect(await unchangedReleases(s, 'ns', releases)).toBeUndefined(); // r1's first digest is no longer deployed
  });

  test("one release's drifted object (deleted outside kc) makes the deploy a real operation", async () => {
    const { s, client, releases } = await deployed(3);
    client.objects.delete([...client.objects.keys()].find((k) => k.includes('r1-c'))!);
    expect(await unchangedReleases(s, 'ns', releases)).toBeUndefined();
  });

  test('a release whose deployed digest differs from the memo is not unchanged', async () => {
    const { s, releases } = await deployed(2);
    expect(await unchangedReleases(s, 'ns', [releases[0], { ...releases[1], digest: 'other' }])).toBeUndefined();
  });
});
