import { describe, expect, test } from '@jest/globals';
import { RELEASE_ANNOTATION } from '../../../src/kube/constants.js';
import { deleteOwned, describeLeft } from '../../../src/kube/owned-delete.js';
import { notOwnedReason } from '../../../src/kube/ownership.js';
import { refKey, type KubeObject, type ObjectRef } from '../../../src/kube/types.js';
import { FakeKube } from '../../helpers/fake-kube.js';

const cm = (name: string, release?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns', ...(release ? { annotations: { [RELEASE_ANNOTATION]: release } } : {}) },
});
const ref = (name: string, kind = 'ConfigMap'): ObjectRef => ({ apiVersion: 'v1', kind, namespace: 'ns', name });

describe('notOwnedReason', () => {
  test('needs both the release annotation and an Apply by kc', () => {
    const meta = (annotations: Record<string, string>, manager: string) =>
      ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations, managedFields: [{ manager, operation: 'Apply' }] } });
    expect(notOwnedReason(meta({ [RELEASE_ANNOTATION]: 'ns/app' }, 'kc'), 'ns/app')).toBeUndefined();
    expect(notOwnedReason(meta({}, 'kc'), 'ns/app')).toBe('not owned by kc');
    expect(notOwnedReason(meta({ [RELEASE_ANNOTATION]: 'ns/other' }, 'kc'), 'ns/app')).toBe('owned by release ns/other');
    expect(notOwnedReason(meta({ [RELEASE_ANNOTATION]: 'ns/app' }, 'kubectl'), 'ns/app')).toMatch(/not applied by kc/);
  });
});

describe('deleteOwned', () => {
  test('deletes what the release owns, leaves and names the rest, skips the absent', async () => {
    const client = new FakeKube();
    await client.apply(cm('ours', 'ns/app'), { fieldManager: 'kc' });
    await client.apply(cm('theirs', 'ns/other'), { fieldManager: 'kc' });
    await client.apply(cm('hand'), { fieldManager: 'kubectl' });
    const result = await deleteOwned(client, [ref('ours'), ref('theirs'), ref('hand'), ref('gone')], { release: 'ns/app' });
    expect(result.deleted.map((r) => r.name)).toEqual(['ours']);
    expect(result.left.map(describeLeft)).toEqual(['ConfigMap/ns/theirs: owned by release ns/other', 'ConfigMap/ns/hand: not owned by kc']);
    expect([...client.objects.keys()].sort()).toEqual([refKey(ref('hand')), refKey(ref('theirs'))]);
  });

  test('a dry run reads the same and reports the same, deleting nothing', async () => {
    const client = new FakeKube();
    await client.apply(cm('ours', 'ns/app'), { fieldManager: 'kc' });
    await client.apply(cm('hand'), { fieldManager: 'kubectl' });
    const dry = await deleteOwned(client, [ref('ours'), ref('hand')], { release: 'ns/app', dryRun: true });
    expect(client.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
    const real = await deleteOwned(client, [ref('ours'), ref('hand')], { release: 'ns/app' });
    expect(real).toEqual(dry);
  });

  test('an object taken over between the read and the delete is judged again, not deleted', async () => {
    const client = new FakeKube();
    await client.apply(cm('x', 'ns/app'), { fieldManager: 'kc' });
    const realDelete = client.delete.bind(client);
    let raced = false;
    client.delete = async (r, options) => {
      if (!raced) {
        raced = true; // another release adopts it just before the DELETE lands
        await client.apply(cm('x', 'ns/other'), { fieldManager: 'kc' });
      }
      return realDelete(r, options);
    };
    const result = await deleteOwned(client, [ref('x')], { release: 'ns/app' });
    expect(result).toEqual({ deleted: [], left: [{ ref: ref('x'), reason: 'owned by release ns/other' }] });
    expect(client.objects.has(refKey(ref('x')))).toBe(true);
  });

  test('kinds sharing a stage are deleted in reverse install order, each kind in its own order', async () => {
    const client = new FakeKube();
    const refs: ObjectRef[] = [ref('a'), ref('b'), ref('svc', 'Service'), ref('s', 'Secret')];
    for (const r of refs) {
      const meta = { name: r.name, namespace: 'ns', annotations: { [RELEASE_ANNOTATION]: 'ns/app' } };
      await client.apply({ apiVersion: 'v1', kind: r.kind, metadata: meta }, { fieldManager: 'kc' });
    }
    await deleteOwned(client, refs, { release: 'ns/app' });
    const deletes = client.calls.filter((c) => c.startsWith('delete'));
    expect(deletes).toEqual(['delete Service/svc', 'delete ConfigMap/a', 'delete ConfigMap/b', 'delete Secret/s']);
  });

  test('deletes in reverse install order: workloads before the ServiceAccount, the Namespace last', async () => {
    const client = new FakeKube();
    const own = (kind: string, name: string, apiVersion = 'v1', namespace?: string) =>
      client.apply({ apiVersion, kind, metadata: { name, namespace, annotations: { [RELEASE_ANNOTATION]: 'ns/app' } } }, { fieldManager: 'kc' });
    await own('Namespace', 'ns');
    await own('ServiceAccount', 'sa', 'v1', 'ns');
    await own('Deployment', 'web', 'apps/v1', 'ns');
    const refs: ObjectRef[] = [
      { apiVersion: 'v1', kind: 'Namespace', name: 'ns' },
      ref('sa', 'ServiceAccount'),
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ns', name: 'web' },
    ];
    await deleteOwned(client, refs, { release: 'ns/app' });
    expect(client.calls.filter((c) => c.startsWith('delete'))).toEqual(['delete Deployment/web', 'delete ServiceAccount/sa', 'delete Namespace/ns']);
  });
});
