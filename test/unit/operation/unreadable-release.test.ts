// Losing the record key never bricks a release: no new key is minted over encrypted records, history still lists
// the revisions, and uninstall still removes the release's objects (found by their annotation) and its records.
import { describe, expect, test } from '@jest/globals';
import { runOperation } from '../../../src/actions/release-operation.js';
import { uninstallPreview, uninstallWithSession } from '../../../src/actions/uninstall.js';
import { KEY_SECRET, ReleaseStore, SecretDriver } from '../../../src/release/index.js';
import { refKey } from '../../../src/kube/types.js';
import { memorySession } from '../../helpers/memory-session.js';
import { configMapPlan, QUICK_OPERATION } from '../../helpers/config-map-plan.js';

const plan = configMapPlan;
const options = QUICK_OPERATION;
const keyRef = { apiVersion: 'v1', kind: 'Secret', namespace: 'ns', name: KEY_SECRET };

async function releaseWithLostKey() {
  const { s, client } = memorySession();
  s.store = new ReleaseStore(new SecretDriver(client));
  await runOperation(s, plan(['a', 'b']), { kind: 'install' }, options);
  await runOperation(s, plan(['a', 'c']), { kind: 'upgrade', install: false }, options);
  // Someone else's ConfigMap in the namespace, and one that only copies the annotation.
  await client.apply(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', namespace: 'ns' } },
    { fieldManager: 'kubectl' },
  );
  const copied = { name: 'copied', namespace: 'ns', annotations: { 'kc.dev/release': 'ns/app' } };
  await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: copied }, { fieldManager: 'kubectl' });
  client.objects.delete(refKey(keyRef));
  // A fresh process: nothing cached.
  s.store = new ReleaseStore(new SecretDriver(client));
  return { s, client };
}

const configMaps = (client: ReturnType<typeof memorySession>['client']) =>
  [...client.objects.values()]
    .filter((o) => o.kind === 'ConfigMap')
    .map((o) => o.metadata?.name)
    .sort();

describe('a release whose record key was lost', () => {
  test('an upgrade is RECORD_KEY_MISSING and no new key is minted over the old records', async () => {
    const { s, client } = await releaseWithLostKey();
    await expect(runOperation(s, plan(['a', 'd']), { kind: 'upgrade', install: false }, options)).rejects.toMatchObject(
      {
        code: 'RECORD_KEY_MISSING',
        message: expect.stringContaining('2 release record(s) there were encrypted with it'),
        hint: expect.stringContaining('kc uninstall RELEASE'),
      },
    );
    expect(client.objects.has(refKey(keyRef))).toBe(false);
    expect((await s.store.history('ns', 'app')).map((h) => [h.revision, h.status])).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
    expect(configMaps(client)).toEqual(['a', 'c', 'copied', 'theirs']);
  });

  test('uninstall finds its objects by their annotation, deletes only those, and removes its records', async () => {
    const { s, client } = await releaseWithLostKey();
    const preview = await uninstallPreview(s, { release: 'app', namespace: 'ns' });
    expect(preview).toMatchObject({ unreadable: true, dryRun: true });
    expect(preview.deleted.map((r) => r.name).sort()).toEqual(['a', 'c']);
    const result = await uninstallWithSession(s, { release: 'app', namespace: 'ns' });
    expect(result.unreadable).toBe(true);
    expect(result.deleted.map((r) => r.name).sort()).toEqual(['a', 'c']);
    expect(configMaps(client)).toEqual(['copied', 'theirs']);
    expect(await s.store.history('ns', 'app')).toEqual([]);
  });

  test('the first record of a namespace still gets a new key', async () => {
    const { s, client } = memorySession();
    s.store = new ReleaseStore(new SecretDriver(client));
    await runOperation(s, plan(['a']), { kind: 'install' }, options);
    expect(client.objects.has(refKey(keyRef))).toBe(true);
  });
});
