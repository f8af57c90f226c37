import { describe, expect, test } from '@jest/globals';
import { RELEASE_ANNOTATION } from '../../../src/kube/constants.js';
import { findDrift } from '../../../src/kube/drift.js';
import { KcError } from '../../../src/errors/index.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { FakeKube } from '../../helpers/fake-kube.js';

const cm = (name: string, v: string, release = 'ns/app'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns', annotations: { [RELEASE_ANNOTATION]: release } },
  data: { v },
});

describe('findDrift', () => {
  test('one LIST per kind, nothing else when kc is the only writer; missing and foreign objects are drift', async () => {
    const client = new FakeKube();
    await client.apply(cm('a', '1'), { fieldManager: 'kc' });
    await client.apply(cm('b', '1', 'ns/other'), { fieldManager: 'kc' });
    client.calls.length = 0;
    const report = await findDrift(client, [cm('a', '1'), cm('b', '1'), cm('c', '1')], 'ns/app');
    expect(client.calls).toEqual(['list ConfigMap']);
    expect([...report.inSync.keys()]).toEqual(['/ConfigMap/ns/a']);
    expect(report.drifted.map((d) => `${d.ref.name}: ${d.reason}`)).toEqual(['b: owned by release ns/other', 'c: missing']);
  });

  test('an object another manager wrote to is compared by a dry-run apply', async () => {
    const client = new FakeKube();
    const edited = { ...cm('a', 'edited'), metadata: { ...cm('a', '').metadata, managedFields: [{ manager: 'kc', operation: 'Apply' }, { manager: 'kubectl-edit', operation: 'Update' }] } };
    client.managedFields = false;
    await client.apply(edited, { fieldManager: 'kc' });
    client.managedFields = true;
    const report = await findDrift(client, [cm('a', '1')], 'ns/app');
    expect(client.calls.filter((c) => c.startsWith('apply')).length).toBe(2); // the seed, then the dry run
    expect(report.drifted.map((d) => d.reason)).toEqual(['edited outside kc']);
    expect(client.objects.get('/ConfigMap/ns/a')?.data).toEqual({ v: 'edited' }); // the dry run wrote nothing
  });

  test('a field taken by another manager is drift, named with the conflict', async () => {
    const client = new FakeKube();
    client.managedFields = false;
    await client.apply({ ...cm('a', '1'), metadata: { ...cm('a', '1').metadata, managedFields: [{ manager: 'kc', operation: 'Apply' }, { manager: 'hpa', operation: 'Update' }] } }, {});
    client.apply = async () => {
      throw new KcError('FIELD_CONFLICT', 'conflict', { details: ['.data.v owned by hpa'] });
    };
    const report = await findDrift(client, [cm('a', '1')], 'ns/app');
    expect(report.drifted.map((d) => d.reason)).toEqual(['fields taken by another manager (.data.v owned by hpa)']);
  });

  test('key order and status do not count: a LIST item and a dry-run answer order keys differently', async () => {
    const client = new FakeKube();
    client.managedFields = false;
    const managedFields = [{ manager: 'kc', operation: 'Apply' }, { manager: 'kube-controller-manager', operation: 'Update' }];
    const live = { metadata: { ...cm('a', '1').metadata, managedFields }, data: { v: '1' }, kind: 'ConfigMap', apiVersion: 'v1', status: { n: 1 } };
    await client.apply(live, {});
    client.apply = async (o) => ({ ...o, status: { n: 2 } });
    const report = await findDrift(client, [cm('a', '1')], 'ns/app');
    expect(report.drifted).toEqual([]);
  });
});
