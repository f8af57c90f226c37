// The no-op deploy check: every release's deployed revision is what the memo says and the cluster still holds it,
// read with one LIST per kind and namespace for all releases together.
import { describe, expect, test } from '@jest/globals';
import { runOperation, type ReleasePlan } from '../../../src/actions/release-operation.js';
import type { MemoRelease } from '../../../src/actions/render-memo.js';
import { noteDeployed, unchangedReleases } from '../../../src/actions/unchanged.js';
import type { ClusterSession } from '../../../src/actions/cluster-session.js';
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
    const results = (await unchangedReleases(s, 'ns', releases))?.results;
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
    expect((await unchangedReleases(s, 'ns', releases))?.results).toHaveLength(4);
    expect(asked).toEqual([[undefined, { withoutSuperseded: true }]]);
  });

  test('a release upgraded before (its first revision superseded) is judged from its latest revision', async () => {
    const { s, releases } = await deployed(2);
    await runOperation(s, { ...plan('r1'), values: { v: 2 } }, { kind: 'upgrade', install: true }, options);
    const latest = (await s.store.history('ns', 'r1')).at(-1)!;
    expect(latest.revision).toBe(2);
    const results = (await unchangedReleases(s, 'ns', [releases[0], { name: 'r1', digest: latest.digest }]))?.results;
    expect(results?.map((r) => [r.release, r.revision])).toEqual([
      ['r0', 1],
      ['r1', 2],
    ]);
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

  test('a first check notes where each release was found deployed: its revision and its LISTs', async () => {
    const { s, releases } = await deployed(2);
    const found = await unchangedReleases(s, 'ns', releases);
    const seen = { revision: 1, lists: [['v1', 'ConfigMap', 'ns']] };
    expect(found?.noted).toEqual(releases.map((r) => ({ ...r, seen })));
    expect((await unchangedReleases(s, 'ns', found!.noted!))?.noted).toBeUndefined(); // nothing new to note
  });

  test('with notes, the records and LISTs go out before the index answers, and nothing is read after', async () => {
    const { s, client, releases } = await deployed(3);
    const noted = (await unchangedReleases(s, 'ns', releases))!.noted!;
    client.calls.length = 0;
    const { reads, open } = holdIndex(s);
    const checking = unchangedReleases(s, 'ns', noted);
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toEqual(['r0@1', 'r1@1', 'r2@1', 'index']);
    expect(client.calls).toEqual(['list ConfigMap']);
    open();
    expect((await checking)?.results.map((r) => r.noChange)).toEqual([true, true, true]);
    expect(reads).toHaveLength(4);
    expect(client.calls).toEqual(['list ConfigMap']);
  });

  test('a stale note costs reads, never a verdict: the revision the index names is read and judged', async () => {
    const { s, client, releases } = await deployed(2);
    const noted = (await unchangedReleases(s, 'ns', releases))!.noted!;
    await runOperation(s, { ...plan('r1'), values: { v: 2 } }, { kind: 'upgrade', install: true }, options);
    const latest = (await s.store.history('ns', 'r1')).at(-1)!;
    client.objects.delete([...client.objects.keys()].find((k) => k.includes('r0-c'))!);
    const { reads, open } = holdIndex(s);
    open();
    const stale: MemoRelease[] = [noted[0], { ...noted[1], digest: latest.digest }];
    expect(await unchangedReleases(s, 'ns', stale)).toBeUndefined(); // r0 drifted
    await runOperation(s, plan('r0'), { kind: 'upgrade', install: true }, options); // puts r0-c back (revision 2)
    reads.length = 0;
    const found = await unchangedReleases(s, 'ns', stale);
    expect(found?.results.map((r) => [r.release, r.revision])).toEqual([
      ['r0', 2],
      ['r1', 2],
    ]);
    expect(reads).toEqual(['r0@1', 'r1@1', 'index', 'r0@2', 'r1@2']); // the guesses, then what the index named
    expect(found?.noted?.map((r) => r.seen?.revision)).toEqual([2, 2]);
  });

  test('an early LIST that failed is sent again when it is needed', async () => {
    const { s, client, releases } = await deployed(2);
    const noted = (await unchangedReleases(s, 'ns', releases))!.noted!;
    const list = client.list.bind(client);
    let failures = 1;
    client.list = async (...args) => {
      if (failures-- > 0) throw new Error('connection reset');
      return list(...args);
    };
    client.calls.length = 0;
    const found = await unchangedReleases(s, 'ns', noted);
    expect(found?.results.map((r) => r.noChange)).toEqual([true, true]);
    expect(client.calls).toEqual(['list ConfigMap']); // the fake logs only the LIST that was answered
  });

  test('an operation notes where it deployed, so that the first no-op check after it reads ahead', async () => {
    const { s, client } = memorySession();
    const result = await runOperation(s, plan('r0'), { kind: 'upgrade', install: true }, options);
    const digest = (await s.store.history('ns', 'r0')).at(-1)!.digest;
    const memo = { releases: [{ name: 'r0', digest }], files: [] };
    const noted = noteDeployed(memo, [result])!;
    expect(noted.releases[0].seen).toEqual({ revision: 1, lists: [['v1', 'ConfigMap', 'ns']] });
    expect(noteDeployed(noted, [result])).toBeUndefined(); // already noted
    const failed = { ...result, status: 'failed' as const };
    expect(noteDeployed(memo, [failed])).toBeUndefined();
    expect(noteDeployed(memo, [{ ...result, noChange: true }])).toBeUndefined(); // no revision made: nothing learnt
    client.calls.length = 0;
    const { reads, open } = holdIndex(s);
    const checking = unchangedReleases(s, 'ns', noted.releases);
    await new Promise((resolve) => setImmediate(resolve));
    expect([reads, client.calls]).toEqual([['r0@1', 'index'], ['list ConfigMap']]);
    open();
    expect((await checking)?.results[0].noChange).toBe(true);
  });

  test('a note that lacks a kind still has that kind listed', async () => {
    const { s, client, releases } = await deployed(1);
    const hint = { revision: 1, lists: [['v1', 'Secret', 'ns']] as [string, string, string][] };
    client.calls.length = 0;
    const found = await unchangedReleases(s, 'ns', [{ ...releases[0], seen: hint }]);
    expect(found?.results[0].noChange).toBe(true);
    expect(client.calls.sort()).toEqual(['list ConfigMap', 'list Secret']);
    expect(found?.noted?.[0].seen?.lists).toEqual([['v1', 'ConfigMap', 'ns']]);
  });
});

/** Holds the release index's answer until `open`; `reads` logs the index read and each record read (name@rev). */
function holdIndex(s: ClusterSession): { reads: string[]; open: () => void } {
  const reads: string[] = [];
  let open = () => undefined as void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const driver = s.store.driver;
  const summaries = driver.summaries.bind(driver);
  const read = driver.read.bind(driver);
  driver.summaries = async (namespace, name, filter) => {
    reads.push('index');
    await gate;
    return summaries(namespace, name, filter);
  };
  driver.read = async (namespace, name, revision) => {
    reads.push(`${name}@${revision}`);
    return read(namespace, name, revision);
  };
  return { reads, open: () => open() };
}
