import { describe, expect, test } from '@jest/globals';
import { runOperation, type OperationOptions, type ReleasePlan } from '../../../src/actions/release-operation.js';
import { rollbackTarget } from '../../../src/actions/revision-choice.js';
import { uninstallPreview, uninstallWithSession } from '../../../src/actions/uninstall.js';
import type { RevisionSummary } from '../../../src/release/index.js';
import type { MemoryLocker } from '../../../src/release/index.js';
import { KcError } from '../../../src/errors/index.js';
import { FakeKube } from '../../helpers/fake-kube.js';
import { memorySession } from '../../helpers/memory-session.js';

function session() {
  const { s, client, driver } = memorySession();
  const reads: number[] = [];
  const read = driver.read.bind(driver);
  driver.read = async (ns, name, rev) => {
    reads.push(rev);
    return read(ns, name, rev);
  };
  return { s, client, driver, reads };
}

const plan = (data: Record<string, string>, extra: Partial<ReleasePlan> = {}): ReleasePlan => ({
  name: 'app',
  namespace: 'ns',
  chart: { name: 'maps', version: '1.0.0' },
  objects: Object.entries(data).map(([name, v]) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data: { v } })),
  values: data,
  userValues: data,
  secretPaths: [],
  ...extra,
});

const options: OperationOptions = { wait: false, timeoutMs: 1000, atomic: false, force: false, adopt: false, historyMax: 10, waitForLockMs: 0 };
const upgrade = { kind: 'upgrade', install: true } as const;

describe('runOperation', () => {
  test('an upgrade reads only the latest deployed revision, however long the history', async () => {
    const { s, reads } = session();
    for (let i = 1; i <= 8; i++) await runOperation(s, plan({ a: String(i) }), upgrade, options);
    reads.length = 0;
    await runOperation(s, plan({ a: '9' }), upgrade, options);
    expect(reads).toEqual([8]);
  });

  test('the same plan again makes no revision', async () => {
    const { s, driver } = session();
    await runOperation(s, plan({ a: '1' }), upgrade, options);
    const again = await runOperation(s, plan({ a: '1' }), upgrade, options);
    expect(again.noChange).toBe(true);
    expect(driver.records.size).toBe(1);
  });

  test('with reapply the same plan is applied again as a new revision', async () => {
    const { s, driver } = session();
    await runOperation(s, plan({ a: '1' }), upgrade, options);
    const again = await runOperation(s, plan({ a: '1' }), upgrade, { ...options, reapply: true });
    expect(again.noChange).toBe(false);
    expect(again.revision).toBe(2);
    expect(again.applied).toHaveLength(1);
    expect(driver.records.size).toBe(2);
  });

  test('objects dropped by the new revision are pruned; kept ones are not', async () => {
    const { s, client } = session();
    const kept = plan({ a: '1', b: '1', c: '1' });
    (kept.objects[2].metadata as Record<string, unknown>).annotations = { 'kc.dev/resource-policy': 'keep' };
    await runOperation(s, kept, upgrade, options);
    const result = await runOperation(s, plan({ a: '2' }), upgrade, options);
    expect(result.pruned.map((r) => r.name)).toEqual(['b']);
    expect([...client.objects.values()].map((o) => o.metadata?.name).sort()).toEqual(['a', 'c']);
  });

  test('a revision left pending by a dead process is marked failed by the next operation', async () => {
    const { s, driver } = session();
    await runOperation(s, plan({ a: '1' }), upgrade, options);
    const first = [...driver.records.values()][0];
    driver.records.set('ns/app/2', { ...first, revision: 2, status: 'pending-upgrade', description: 'Upgrade in progress' });
    await runOperation(s, plan({ a: '3' }), upgrade, options);
    const statuses = (await s.store.history('ns', 'app')).map((h) => [h.revision, h.status]);
    expect(statuses).toEqual([[1, 'superseded'], [2, 'failed'], [3, 'deployed']]);
  });

  test('history keeps each revision\'s own time: superseding a revision does not move it past its successor', async () => {
    const { s } = session();
    let t = Date.parse('2026-12-01T00:00:00Z');
    const ticking = { s: { ...s, clock: { now: () => new Date((t += 1000)), sleep: async () => undefined } } };
    await runOperation(ticking.s, plan({ a: '1' }), upgrade, options);
    await runOperation(ticking.s, plan({ a: '2' }), upgrade, options);
    const [first, second] = await s.store.history('ns', 'app');
    expect([first.status, second.status]).toEqual(['superseded', 'deployed']);
    expect(Date.parse(first.updated)).toBeLessThan(Date.parse(second.updated));
  });

  test('first deployed is carried from the deployed revision: trimming revision 1 away does not move it', async () => {
    const { s, driver } = session();
    let t = Date.parse('2026-12-01T00:00:00Z');
    const ticking = { ...s, clock: { now: () => new Date((t += 1000)), sleep: async () => undefined } };
    const step = (i: number, historyMax: number) =>
      runOperation(ticking, plan({ a: String(i) }), upgrade, { ...options, historyMax });
    for (let i = 1; i <= 4; i++) await step(i, 2);
    const first = '2026-12-01T00:00:01.000Z'; // revision 1's start
    expect((await s.store.history('ns', 'app')).map((h) => h.revision)).toEqual([3, 4]);
    expect((await s.store.read('ns', 'app', 4)).firstDeployed).toBe(first);
    // Kept whole and read without its superseded revisions, the history still gives revision 1's time.
    for (let i = 5; i <= 6; i++) await step(i, 0);
    expect((await s.store.read('ns', 'app', 6)).firstDeployed).toBe(first);
    expect(driver.records.size).toBe(4);
  });

  test('install refuses an existing release; upgrade without --install refuses a missing one', async () => {
    const { s } = session();
    await expect(runOperation(s, plan({ a: '1' }), { kind: 'upgrade', install: false }, options)).rejects.toMatchObject({ code: 'RELEASE_NOT_FOUND' });
    await runOperation(s, plan({ a: '1' }), { kind: 'install' }, options);
    await expect(runOperation(s, plan({ a: '2' }), { kind: 'install' }, options)).rejects.toMatchObject({ code: 'RELEASE_EXISTS' });
  });

  test('history is trimmed to historyMax, keeping the deployed revision', async () => {
    const { s } = session();
    for (let i = 1; i <= 6; i++) await runOperation(s, plan({ a: String(i) }), upgrade, { ...options, historyMax: 3 });
    expect((await s.store.history('ns', 'app')).map((h) => h.revision)).toEqual([4, 5, 6]);
  });

  test('an object that exists and belongs to no release is refused before anything is applied; no release is left', async () => {
    const { s, client } = session();
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'ns' }, data: { v: 'theirs' } }, {});
    client.calls.length = 0;
    await expect(runOperation(s, plan({ a: '1', b: '2' }), upgrade, options)).rejects.toMatchObject({ code: 'RESOURCE_NOT_OWNED', message: expect.stringContaining('ConfigMap/ns/b already exists and belongs to no kc release') });
    expect(client.calls.filter((c) => c.startsWith('apply'))).toEqual([]);
    expect((await s.store.history('ns', 'app')).map((h) => h.status)).toEqual([]);
    expect((s.locker as MemoryLocker).held.size).toBe(0);
    // --adopt takes it.
    await runOperation(s, plan({ a: '1', b: '2' }), upgrade, { ...options, adopt: true });
    expect((await s.store.history('ns', 'app')).map((h) => h.status)).toEqual(['deployed']);
  });

  test('an upgrade sends only the objects that changed when the cluster holds the rest as the deployed revision left them', async () => {
    const { s, client } = session();
    client.managedFields = true;
    const six = (first: string) => ({ a: first, b: '2', c: '3', d: '4', e: '5', f: '6' });
    await runOperation(s, plan(six('1')), upgrade, options);
    client.calls.length = 0;
    const result = await runOperation(s, plan(six('changed')), upgrade, options);
    expect(client.calls.filter((c) => c.startsWith('apply'))).toEqual(['apply ConfigMap/a']);
    // One read of the live objects tells both who owns them and which are unchanged.
    expect(client.calls.filter((c) => c.startsWith('list') || c.startsWith('get'))).toEqual(['list ConfigMap']);
    expect(result).toMatchObject({ revision: 2, unchanged: 5 });
    expect(result.applied).toHaveLength(6);
    expect(client.objects.get('/ConfigMap/ns/a')?.data).toEqual({ v: 'changed' });

    // Not after a failed revision (it may have changed objects halfway), nor with --reapply or --force-conflicts.
    client.apply = async () => {
      throw new Error('boom');
    };
    await expect(runOperation(s, plan(six('3')), upgrade, options)).rejects.toThrow('boom');
    client.apply = FakeKube.prototype.apply.bind(client);
    client.calls.length = 0;
    expect(await runOperation(s, plan(six('4')), upgrade, options)).toMatchObject({ revision: 4, unchanged: 0 });
    expect(client.calls.filter((c) => c.startsWith('apply'))).toHaveLength(6);
    for (const flags of [{ reapply: true }, { force: true }]) {
      client.calls.length = 0;
      expect(await runOperation(s, plan(six(flags.force ? '5' : '4')), upgrade, { ...options, ...flags })).toMatchObject({ unchanged: 0 });
      expect(client.calls.filter((c) => c.startsWith('apply'))).toHaveLength(6);
    }

    // A pre-upgrade hook runs before the objects are applied and may change them: everything is sent. Other hooks
    // (tests, post-upgrade) do not stop the skipping.
    const hook = (events: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `hook-${events}`, namespace: 'ns', annotations: { 'kc.dev/hook': events } } });
    client.calls.length = 0;
    expect(await runOperation(s, plan(six('6'), { hooks: [hook('test,post-upgrade')] }), upgrade, options)).toMatchObject({ unchanged: 5 });
    client.calls.length = 0;
    expect(await runOperation(s, plan(six('7'), { hooks: [hook('pre-upgrade')] }), upgrade, options)).toMatchObject({ unchanged: 0 });
    expect(client.calls.filter((c) => c.startsWith('apply ConfigMap/') && !c.includes('hook'))).toHaveLength(6);
  });

  test('an unchanged upgrade re-applies what was deleted or edited outside kc, and only that', async () => {
    const { s, client, driver } = session();
    await runOperation(s, plan({ a: '1', b: '2' }), upgrade, options);
    client.objects.delete('/ConfigMap/ns/a');
    client.calls.length = 0;
    const repaired = await runOperation(s, plan({ a: '1', b: '2' }), upgrade, options);
    expect(client.calls.filter((c) => c.startsWith('apply'))).toEqual(['apply ConfigMap/a']);
    expect(repaired).toMatchObject({ revision: 2, noChange: false, drifted: [{ ref: { name: 'a' }, reason: 'missing' }] });
    expect(repaired.description).toMatch(/repaired 1 drifted object/);
    client.calls.length = 0;
    const again = await runOperation(s, plan({ a: '1', b: '2' }), upgrade, options);
    expect(again.noChange).toBe(true);
    expect(client.calls.filter((c) => !c.startsWith('list'))).toEqual([]); // one LIST per kind, no writes
    expect(driver.records.size).toBe(2);
  });

  test('an unchanged upgrade does not take fields back from another manager without --force-conflicts', async () => {
    const { s, client, driver } = session();
    await runOperation(s, plan({ a: '1' }), upgrade, options);
    const live = client.objects.get('/ConfigMap/ns/a')!;
    // kubectl edit changed the data: kc's apply would now conflict with its manager.
    client.managedFields = false;
    await client.apply({ ...live, data: { v: 'edited' }, metadata: { ...live.metadata, managedFields: [{ manager: 'kc', operation: 'Apply' }, { manager: 'kubectl-edit', operation: 'Update' }] } }, {});
    client.managedFields = true;
    const apply = client.apply.bind(client);
    client.apply = async (o, opts) => {
      if (opts.dryRun || !(opts as { force?: boolean }).force) throw new KcError('FIELD_CONFLICT', 'conflict', { details: ['.data.v owned by "kubectl-edit"'] });
      return apply(o, opts);
    };
    await expect(runOperation(s, plan({ a: '1' }), upgrade, options)).rejects.toMatchObject({
      code: 'FIELD_CONFLICT',
      message: 'ConfigMap/ns/a was changed outside kc: fields taken by another manager (.data.v owned by "kubectl-edit")',
    });
    expect(driver.records.size).toBe(1); // nothing written: no failed revision
    const forced = await runOperation(s, plan({ a: '1' }), upgrade, { ...options, force: true });
    expect(forced).toMatchObject({ revision: 2, noChange: false });
    expect(client.objects.get('/ConfigMap/ns/a')?.data).toEqual({ v: '1' });
  });

  test('uninstall and prune leave an object someone else took over, and name it', async () => {
    const { s, client } = session();
    await runOperation(s, plan({ a: '1', b: '2' }), upgrade, options);
    // kubectl took b over: the annotation is gone and kc is no longer its applier.
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'ns' }, data: { v: 'mine' } }, { fieldManager: 'kubectl' });
    const pruned = await runOperation(s, plan({ a: '1' }), upgrade, options);
    expect(pruned.left).toEqual([{ ref: expect.objectContaining({ name: 'b' }), reason: 'not owned by kc' }]);
    expect(client.objects.get('/ConfigMap/ns/b')?.data).toEqual({ v: 'mine' });
    const dry = await uninstallPreview(s, { release: 'app', namespace: 'ns' });
    const gone = await uninstallWithSession(s, { release: 'app', namespace: 'ns' });
    expect(gone.deleted.map((r) => r.name)).toEqual(['a']);
    expect(client.objects.has('/ConfigMap/ns/b')).toBe(true);
    expect(dry.deleted.map((r) => r.name)).toEqual(gone.deleted.map((r) => r.name));
  });

  test('an atomic install that fails after applying undoes only what it applied, not another release\'s objects', async () => {
    const { s, client } = session();
    await runOperation(s, { ...plan({ shared: 'x' }), name: 'other' }, upgrade, options);
    const apply = client.apply.bind(client);
    client.apply = async (o, opts) => {
      if (o.metadata?.name === 'c' && !opts.dryRun) throw new Error('connection reset');
      return apply(o, opts);
    };
    await expect(runOperation(s, plan({ a: '1', c: '3' }), upgrade, { ...options, atomic: true })).rejects.toThrow();
    expect(client.objects.has('/ConfigMap/ns/a')).toBe(false);
    await expect(runOperation(s, plan({ a: '1', shared: 'y' }), upgrade, { ...options, atomic: true }))
      .rejects.toMatchObject({ code: 'RESOURCE_NOT_OWNED' });
    expect(client.objects.get('/ConfigMap/ns/shared')?.data).toEqual({ v: 'x' });
    expect(client.calls.filter((c) => c.startsWith('delete ConfigMap/shared'))).toEqual([]);
  });

  test('installing again after a first install that applied nothing works without RELEASE_EXISTS', async () => {
    const { s, client } = session();
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'ns' } }, { fieldManager: 'kubectl' });
    await expect(runOperation(s, plan({ a: '1', b: '2' }), { kind: 'install' }, options)).rejects.toMatchObject({ code: 'RESOURCE_NOT_OWNED' });
    await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'b' });
    const result = await runOperation(s, plan({ a: '1', b: '2' }), { kind: 'install' }, options);
    expect(result.revision).toBe(1);
  });

  test('installing again after a first install that applied some objects goes on from it and prunes what it left', async () => {
    const { s, client } = session();
    const apply = client.apply.bind(client);
    client.apply = async (o, opts) => {
      if (o.metadata?.name === 'bad') throw Object.assign(new Error('invalid'), { code: 'OBJECT_INVALID' });
      return apply(o, opts);
    };
    await expect(runOperation(s, plan({ old: '1', bad: '2' }), { kind: 'install' }, options)).rejects.toThrow('invalid');
    expect(client.objects.has('/ConfigMap/ns/old')).toBe(true);
    const result = await runOperation(s, plan({ a: '1' }), { kind: 'install' }, options);
    expect(result).toMatchObject({ revision: 2, description: 'Install complete' });
    expect(result.pruned.map((r) => r.name)).toEqual(['old']);
    expect((await s.store.history('ns', 'app')).map((h) => h.status)).toEqual(['failed', 'deployed']);
  });

  test('a secret value the API server quotes in an error is neither stored in the description nor thrown', async () => {
    const { s, client } = session();
    await runOperation(s, plan({ a: '1' }), upgrade, options);
    client.apply = async (o) => {
      // A new object (b) the server refuses: not an immutable update, an invalid value quoted back.
      throw new KcError('OBJECT_INVALID', `apply ${o.kind}/${o.metadata?.name}: Invalid value: "hunter2-pw"`, { details: ['Invalid value: "hunter2-pw"'] });
    };
    const secret = plan({ b: '2' }, { values: { pw: 'hunter2-pw' }, secretPaths: [['pw']] });
    const err = await runOperation(s, secret, upgrade, options).catch((e: KcError) => e);
    expect(err).toMatchObject({ code: 'OBJECT_INVALID', message: 'apply ConfigMap/b: Invalid value: "<redacted>"' });
    expect((err as KcError).details).toEqual(['Invalid value: "<redacted>"']);
    const history = await s.store.history('ns', 'app');
    expect(history.at(-1)).toMatchObject({ status: 'failed' });
    expect(JSON.stringify(history)).not.toContain('hunter2-pw');
  });

  test('the lock is released after a failure, and a held lock is refused', async () => {
    const { s, client } = session();
    client.apply = async () => {
      throw new Error('boom');
    };
    await expect(runOperation(s, plan({ a: '1' }), upgrade, options)).rejects.toThrow('boom');
    expect((s.locker as MemoryLocker).held.size).toBe(0);
    expect((await s.store.history('ns', 'app')).map((h) => h.status)).toEqual(['failed']);
    await s.locker.acquire('ns', 'app');
    await expect(runOperation(s, plan({ a: '1' }), upgrade, options)).rejects.toMatchObject({ code: 'RELEASE_LOCKED' });
  });
});

describe('rollbackTarget', () => {
  const rev = (revision: number, status: RevisionSummary['status']): RevisionSummary => ({
    name: 'app', namespace: 'ns', revision, status, chart: { name: 'maps', version: '1.0.0' }, description: '', updated: '', digest: '',
  });

  test('defaults to the revision before the latest', () => {
    expect(rollbackTarget([rev(1, 'superseded'), rev(2, 'deployed')], undefined).revision).toBe(1);
  });

  test('defaults to the latest when it was uninstalled with --keep-history: rolling back brings it back', () => {
    expect(rollbackTarget([rev(1, 'uninstalled')], undefined).revision).toBe(1);
    expect(rollbackTarget([rev(1, 'superseded'), rev(2, 'uninstalled')], undefined).revision).toBe(2);
  });

  test('a named revision wins; a missing one lists the revisions kept', () => {
    expect(rollbackTarget([rev(1, 'superseded'), rev(2, 'uninstalled')], 1).revision).toBe(1);
    expect(() => rollbackTarget([rev(3, 'deployed')], undefined)).toThrow(expect.objectContaining({ code: 'REVISION_NOT_FOUND', message: 'there is no previous revision to roll back to', hint: 'revisions kept: 3' }));
    expect(() => rollbackTarget([rev(3, 'deployed')], 9)).toThrow(expect.objectContaining({ message: 'revision 9 does not exist (or was trimmed from history)' }));
  });
});
