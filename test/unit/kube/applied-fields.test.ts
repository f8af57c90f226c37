import { describe, expect, test } from '@jest/globals';
import { keepsAppliedFields } from '../../../src/kube/applied-fields.js';
import { RELEASE_ANNOTATION } from '../../../src/kube/constants.js';
import { findDrift } from '../../../src/kube/drift.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { FakeKube } from '../../helpers/fake-kube.js';

const sent: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'a',
    namespace: 'ns',
    labels: { app: 'a', tier: 'db' },
    annotations: { [RELEASE_ANNOTATION]: 'ns/app' },
  },
  data: { v: '1' },
  binaryData: {},
};

/** kc's Apply entry as the API server records it for `sent`, minus the fields named by `without`. */
function live(without: string[] = [], manager = 'kc'): KubeObject {
  const labels: Record<string, unknown> = { 'f:app': {}, 'f:tier': {} };
  for (const key of without) delete labels[key];
  const annotations = { [`f:${RELEASE_ANNOTATION}`]: {} };
  const metadata = { 'f:labels': labels, 'f:annotations': annotations };
  return withFields(sent, { 'f:data': { 'f:v': {} }, 'f:metadata': metadata }, manager);
}

/** `object` with one Apply entry of `manager` owning `fieldsV1`. */
function withFields(object: KubeObject, fieldsV1: object, manager = 'kc'): KubeObject {
  return { ...object, metadata: { ...object.metadata, managedFields: [{ manager, operation: 'Apply', fieldsV1 }] } };
}

describe('keepsAppliedFields', () => {
  test('true when kc\'s Apply entry lists every field sent (name, namespace, kind and empty maps aside)', () => {
    expect(keepsAppliedFields(live(), sent)).toBe(true);
  });

  test('false when a field kc sent left kc\'s set (a label removed by another writer), or kc has no entry', () => {
    expect(keepsAppliedFields(live(['f:tier']), sent)).toBe(false);
    expect(keepsAppliedFields(live([], 'kubectl'), sent)).toBe(false);
    expect(keepsAppliedFields({ ...sent, metadata: { ...sent.metadata, managedFields: undefined } }, sent)).toBe(false);
  });

  test('a list counts as a whole: its items are not compared', () => {
    const withList = { ...sent, spec: { ports: [{ port: 80 }] } } as KubeObject;
    const fields = (live().metadata!.managedFields as { fieldsV1: object }[])[0].fieldsV1;
    const owned = withFields(withList, { ...fields, 'f:spec': { 'f:ports': { 'k:{"port":80}': {} } } });
    expect(keepsAppliedFields(owned, withList)).toBe(true);
    expect(keepsAppliedFields(withFields(withList, fields), withList)).toBe(false); // the list itself is not kc's
  });
});

describe('findDrift with kc as the only writer', () => {
  test('a label removed outside kc (kc alone in managedFields, not owning it) is asked of the server', async () => {
    const client = new FakeKube();
    await client.apply(sent, { fieldManager: 'kc' });
    // What `kubectl label configmap a tier-` leaves: the label gone from the object and from kc's field set.
    const unlabelled = live(['f:tier']);
    const labels = { app: 'a' };
    client.objects.set('/ConfigMap/ns/a', { ...unlabelled, metadata: { ...unlabelled.metadata, labels } });
    client.calls.length = 0;
    const report = await findDrift(client, [sent], 'ns/app');
    expect(client.calls).toEqual(['list ConfigMap', 'apply ConfigMap/a']); // the dry run
    expect(report.drifted.map((d) => d.reason)).toEqual(['edited outside kc']);
  });

  test('an object kc still owns in full needs no dry run', async () => {
    const client = new FakeKube();
    await client.apply(sent, { fieldManager: 'kc' });
    client.calls.length = 0;
    const report = await findDrift(client, [sent], 'ns/app');
    expect(client.calls).toEqual(['list ConfigMap']);
    expect(report.drifted).toEqual([]);
  });
});
