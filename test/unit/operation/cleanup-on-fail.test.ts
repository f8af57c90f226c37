// --cleanup-on-fail: a failed install/upgrade deletes what it created, never what existed before it.
import { describe, expect, test } from '@jest/globals';
import { runOperation, type OperationOptions, type ReleasePlan } from '../../../src/actions/release-operation.js';
import { KcError } from '../../../src/errors/index.js';
import { memorySession } from '../../helpers/memory-session.js';
import { QUICK_OPERATION } from '../../helpers/config-map-plan.js';

const plan = (names: string[]): ReleasePlan => ({
  name: 'app',
  namespace: 'ns',
  chart: { name: 'maps', version: '1.0.0' },
  objects: names.map((name) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'ns' },
    data: { v: name },
  })),
  values: { names },
  userValues: {},
  secretPaths: [],
});
const upgrade = { kind: 'upgrade', install: false } as const;
const cleanup: OperationOptions = { ...QUICK_OPERATION, cleanupOnFail: true };

/** A memory session whose API server refuses the ConfigMap named "bad". */
function failingSession() {
  const { s, client } = memorySession();
  const apply = client.apply.bind(client);
  client.apply = async (o, opts) => {
    if (o.metadata?.name === 'bad') throw new KcError('OBJECT_INVALID', 'ConfigMap "bad" is invalid');
    return apply(o, opts);
  };
  return { s, client };
}

describe('--cleanup-on-fail', () => {
  test('a failed upgrade deletes the objects it created and keeps those that existed', async () => {
    const { s, client } = failingSession();
    await runOperation(s, plan(['a', 'b']), { kind: 'install' }, QUICK_OPERATION);
    const err = await runOperation(s, plan(['a', 'b', 'c', 'bad']), upgrade, cleanup).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'OBJECT_INVALID' });
    expect((err as KcError).details.join('\n')).toContain('--cleanup-on-fail removed what it created: ConfigMap/ns/c');
    expect([...client.objects.keys()].filter((k) => k.includes('ConfigMap')).sort()).toEqual([
      '/ConfigMap/ns/a',
      '/ConfigMap/ns/b',
    ]);
    const history = await s.store.history('ns', 'app');
    expect(history.map((h) => h.status)).toEqual(['deployed', 'failed']);
    expect(history[1].description).toMatch(
      /^Upgrade failed: .*; --cleanup-on-fail removed what it created: ConfigMap\/ns\/c$/,
    );
  });

  test('without the flag, the failed revision leaves what it created (as before)', async () => {
    const { s, client } = failingSession();
    await runOperation(s, plan(['a']), { kind: 'install' }, QUICK_OPERATION);
    await expect(runOperation(s, plan(['a', 'c', 'bad']), upgrade, QUICK_OPERATION)).rejects.toThrow('invalid');
    expect(client.objects.has('/ConfigMap/ns/c')).toBe(true);
  });

  test('an object that existed before the operation is kept, even one it adopted', async () => {
    const { s, client } = failingSession();
    await runOperation(s, plan(['a']), { kind: 'install' }, QUICK_OPERATION);
    await client.apply(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'ns' } },
      { fieldManager: 'kubectl' },
    );
    const adopt = { ...cleanup, adopt: true };
    await expect(runOperation(s, plan(['a', 'x', 'c', 'bad']), upgrade, adopt)).rejects.toThrow('invalid');
    expect(client.objects.has('/ConfigMap/ns/x')).toBe(true);
    expect(client.objects.has('/ConfigMap/ns/a')).toBe(true);
    expect(client.objects.has('/ConfigMap/ns/c')).toBe(false);
    expect(client.calls.filter((c) => c.startsWith('delete'))).toEqual(['delete ConfigMap/c']);
  });

  test('an object created meanwhile by someone else is left: the delete is checked against the live owner', async () => {
    const { s, client } = failingSession();
    await runOperation(s, plan(['a']), { kind: 'install' }, QUICK_OPERATION);
    const apply = client.apply.bind(client);
    client.apply = async (o, opts) => {
      // Another release takes "c" right after this revision applied it.
      const stored = await apply(o, opts);
      if (o.metadata?.name === 'c') {
        const annotations = { 'kc.dev/release': 'ns/other' };
        await apply({ ...o, metadata: { ...o.metadata, annotations } }, { fieldManager: 'kc' });
      }
      return stored;
    };
    const err = await runOperation(s, plan(['a', 'c', 'bad']), upgrade, cleanup).catch((e: unknown) => e);
    expect(client.objects.has('/ConfigMap/ns/c')).toBe(true);
    expect((err as KcError).details.join('\n')).toContain('removed what it created: nothing; left ConfigMap/ns/c');
  });

  test('a failed first install removes what it created; installing again then starts afresh', async () => {
    const { s, client } = failingSession();
    await expect(runOperation(s, plan(['a', 'bad']), { kind: 'install' }, cleanup)).rejects.toThrow('invalid');
    expect(client.objects.has('/ConfigMap/ns/a')).toBe(false);
    const again = await runOperation(s, plan(['a']), { kind: 'install' }, QUICK_OPERATION);
    expect(again.revision).toBe(1);
  });

  test('with --atomic the previous revision is put back instead (no separate clean-up read)', async () => {
    const { s, client } = failingSession();
    await runOperation(s, plan(['a']), { kind: 'install' }, QUICK_OPERATION);
    await expect(runOperation(s, plan(['a', 'c', 'bad']), upgrade, { ...cleanup, atomic: true })).rejects.toThrow();
    expect(client.objects.has('/ConfigMap/ns/c')).toBe(false);
    const history = await s.store.history('ns', 'app');
    expect(history.map((h) => h.status)).toEqual(['superseded', 'failed', 'deployed']);
    expect(history[1].description).not.toContain('--cleanup-on-fail');
  });
});

test('an upgrade refused before it created anything says nothing about a clean-up', async () => {
  const { s, client } = failingSession();
  await runOperation(s, plan(['a']), { kind: 'install' }, QUICK_OPERATION);
  await client.apply(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'ns' } },
    { fieldManager: 'kubectl' },
  );
  const err = await runOperation(s, plan(['a', 'x', 'c']), upgrade, cleanup).catch((e: unknown) => e);
  expect(err).toMatchObject({ code: 'RESOURCE_NOT_OWNED' });
  expect((err as KcError).details.join('\n')).not.toContain('--cleanup-on-fail');
  expect(client.objects.has('/ConfigMap/ns/x')).toBe(true);
  expect((await s.store.history('ns', 'app')).at(-1)?.description).not.toContain('--cleanup-on-fail');
});
