import { describe, expect, test } from '@jest/globals';
import { runOperation, type OperationOptions, type ReleasePlan } from '../../../src/actions/release-operation.js';
import { uninstallWithSession } from '../../../src/actions/uninstall.js';
import { refKey, type KubeObject } from '../../../src/kube/types.js';
import type { FakeKube } from '../../helpers/fake-kube.js';
import { memorySession } from '../../helpers/memory-session.js';

const session = memorySession;

// A hook Job that the fake server returns as already complete.
const job = (name: string, events: string, weight = 0, policy = 'before-hook-creation'): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'ns', annotations: { 'kc.dev/hook': events, 'kc.dev/hook-weight': String(weight), 'kc.dev/hook-delete-policy': policy } },
  status: { conditions: [{ type: 'Complete', status: 'True' }] },
});

const plan = (v: string, hooks: KubeObject[]): ReleasePlan => ({
  name: 'app',
  namespace: 'ns',
  chart: { name: 'c', version: '1.0.0' },
  objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' }, data: { v } }],
  hooks,
  values: { v },
  userValues: { v },
  secretPaths: [],
});

const options: OperationOptions = { wait: false, timeoutMs: 1000, atomic: false, force: false, adopt: false, historyMax: 10, waitForLockMs: 0 };
const applies = (client: FakeKube) => client.calls.filter((c) => c.startsWith('apply') || c.startsWith('delete Job'));

describe('hooks around operations', () => {
  test('install runs pre-install hooks by weight before the objects and post-install after; upgrade hooks do not run', async () => {
    const { s, client } = session();
    const hooks = [job('late', 'pre-install', 5), job('early', 'pre-install', -1), job('after', 'post-install'), job('up', 'pre-upgrade')];
    const result = await runOperation(s, plan('1', hooks), { kind: 'install' }, options);
    // before-hook-creation (the default policy) deletes a previous run only when one exists: none does here.
    expect(applies(client)).toEqual(['apply Job/early', 'apply Job/late', 'apply ConfigMap/cm', 'apply Job/after']);
    expect(result.hooks.map((h) => `${h.event} ${h.ref.name} ${h.ok}`)).toEqual(['pre-install early true', 'pre-install late true', 'post-install after true']);
  });

  test('before-hook-creation deletes the previous run of this release\'s hook, and refuses one it does not own', async () => {
    const { s, client } = session();
    await runOperation(s, plan('1', [job('mig', 'pre-upgrade')]), { kind: 'install' }, options);
    await runOperation(s, plan('2', [job('mig', 'pre-upgrade')]), { kind: 'upgrade', install: false }, options);
    client.calls.length = 0;
    await runOperation(s, plan('3', [job('mig', 'pre-upgrade')]), { kind: 'upgrade', install: false }, options);
    expect(applies(client)).toEqual(['delete Job/mig', 'apply Job/mig', 'apply ConfigMap/cm']);
    // A Job of the same name that someone else created is neither deleted nor overwritten.
    const theirs = { ...job('mig', ''), metadata: { name: 'mig', namespace: 'ns' } };
    await client.delete({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'ns', name: 'mig' }, {});
    await client.apply(theirs, { fieldManager: 'kubectl' });
    client.calls.length = 0;
    await expect(runOperation(s, plan('4', [job('mig', 'pre-upgrade')]), { kind: 'upgrade', install: false }, options))
      .rejects.toMatchObject({ code: 'RESOURCE_NOT_OWNED' });
    expect(applies(client)).toEqual([]);
  });

  test('rollback runs the target revision\'s rollback hooks; hook-succeeded deletes the hook', async () => {
    const { s, client } = session();
    const hooks = [job('rb', 'pre-rollback', 0, 'hook-succeeded')];
    await runOperation(s, plan('1', hooks), { kind: 'install' }, options);
    await runOperation(s, plan('2', hooks), { kind: 'upgrade', install: false }, options);
    client.calls.length = 0;
    const record = await s.store.read('ns', 'app', 1);
    await runOperation(s, { ...plan('1', []), objects: record.objects, hooks: record.hookObjects }, { kind: 'rollback', to: 1 }, options);
    expect(applies(client)).toEqual(['apply Job/rb', 'delete Job/rb', 'apply ConfigMap/cm']);
  });

  test('uninstall runs pre-delete hooks before deleting the objects and post-delete after', async () => {
    const { s, client } = session();
    await runOperation(s, plan('1', [job('bye', 'pre-delete'), job('gone', 'post-delete')]), { kind: 'install' }, options);
    client.calls.length = 0;
    await uninstallWithSession(s, { release: 'app', namespace: 'ns' });
    const order = client.calls.filter((c) => c.startsWith('apply') || c === 'delete ConfigMap/cm');
    expect(order).toEqual(['apply Job/bye', 'delete ConfigMap/cm', 'apply Job/gone']);
  });

  test('an uninstall stopped by a failing pre-delete hook leaves the revision failed, not uninstalling, and unlocked', async () => {
    const { s, client } = session();
    const failing = { ...job('bye', 'pre-delete'), status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] } };
    await runOperation(s, plan('1', [failing]), { kind: 'install' }, options);
    await expect(uninstallWithSession(s, { release: 'app', namespace: 'ns', timeoutMs: 1000 })).rejects.toMatchObject({ code: 'HOOK_FAILED' });
    const [latest] = await s.store.history('ns', 'app');
    expect(latest.status).toBe('failed');
    expect(latest.description).toMatch(/^Uninstall failed: pre-delete hook Job\/ns\/bye failed/);
    expect(client.objects.has(refKey({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'cm' }))).toBe(true); // nothing deleted past the failed hook
    // The lock was given back: the same uninstall can run again.
    await expect(s.locker.acquire('ns', 'app', { waitMs: 0 })).resolves.toBeDefined();
  });

  test('an interrupted uninstall stops before deleting and marks the revision failed', async () => {
    const { s } = session();
    await runOperation(s, plan('1', []), { kind: 'install' }, options);
    const controller = new AbortController();
    controller.abort(new Error('interrupted by SIGINT'));
    await expect(uninstallWithSession(s, { release: 'app', namespace: 'ns', signal: controller.signal })).rejects.toThrow('interrupted by SIGINT');
    const [latest] = await s.store.history('ns', 'app');
    expect([latest.status, latest.description]).toEqual(['failed', 'Uninstall failed: interrupted by SIGINT']);
  });
});

