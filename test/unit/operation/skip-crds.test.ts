// --skip-crds: the chart's CRDs are not applied; those recorded before are carried over, never pruned.
import { describe, expect, test } from '@jest/globals';
import { runOperation, type ReleasePlan } from '../../../src/actions/release-operation.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { carryRecordedCrds, isCrd, withoutCrds } from '../../../src/operation/skip-crds.js';
import { memorySession } from '../../helpers/memory-session.js';
import { QUICK_OPERATION } from '../../helpers/config-map-plan.js';

const crd = (description: string): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.test', annotations: { description } },
  spec: {
    group: 'example.test',
    scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget' },
    versions: [{ name: 'v1', served: true, storage: true }],
  },
});
const widget: KubeObject = {
  apiVersion: 'example.test/v1',
  kind: 'Widget',
  metadata: { name: 'w1', namespace: 'ns' },
  spec: {},
};
const map: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'm', namespace: 'ns' },
  data: { v: '1' },
};
const crdKey = 'apiextensions.k8s.io/CustomResourceDefinition//widgets.example.test';

const plan = (objects: KubeObject[]): ReleasePlan => ({
  name: 'app',
  namespace: 'ns',
  chart: { name: 'widgets', version: '1.0.0' },
  objects,
  values: {},
  userValues: {},
  secretPaths: [],
});

/** A memory session whose CRDs are Established as soon as they are applied. */
function crdSession() {
  const { s, client } = memorySession();
  const apply = client.apply.bind(client);
  client.apply = async (o, opts) => {
    const stored = await apply(o, opts);
    if (isCrd(o)) stored.status = { conditions: [{ type: 'Established', status: 'True' }] };
    return stored;
  };
  return { s, client };
}
const upgrade = { kind: 'upgrade', install: false } as const;
const skip = { ...QUICK_OPERATION, skipCrds: true };
const crdApplies = (calls: string[]) => calls.filter((c) => c.startsWith('apply CustomResourceDefinition'));
const crdDeletes = (calls: string[]) => calls.filter((c) => c.startsWith('delete CustomResourceDefinition'));

describe('carryRecordedCrds', () => {
  test("drops the chart's CRDs and puts the recorded ones first, the deployed revision's body winning", () => {
    const deployed = {
      objects: [crd('old'), map],
      inventory: [
        { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'widgets.example.test' },
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'm' },
      ],
    };
    const failed = { objects: [crd('failed')], inventory: [deployed.inventory[0]] };
    const result = carryRecordedCrds([crd('new'), widget, map], [deployed, failed]);
    expect(result.objects).toEqual([crd('old'), widget, map]);
    expect([...result.carried]).toEqual([crdKey]);
    expect(carryRecordedCrds([crd('new'), map], [undefined, undefined])).toEqual({
      objects: [map],
      carried: new Set(),
    });
  });

  test('withoutCrds keeps every other reference', () => {
    const refs = [
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'x' },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'm', namespace: 'ns' },
    ];
    expect(withoutCrds(refs)).toEqual([refs[1]]);
  });
});

describe('--skip-crds in an operation', () => {
  test('an upgrade neither applies nor prunes the recorded CRD, and records it unchanged', async () => {
    const { s, client } = crdSession();
    await runOperation(s, plan([crd('v1'), widget, map]), { kind: 'install' }, QUICK_OPERATION);
    client.calls.length = 0;
    // The new chart changes the CRD: not applied.
    const changed = await runOperation(s, plan([crd('v2'), widget, { ...map, data: { v: '2' } }]), upgrade, skip);
    expect(changed.revision).toBe(2);
    expect(crdApplies(client.calls)).toEqual([]);
    expect(changed.applied.map((r) => r.kind)).not.toContain('CustomResourceDefinition');
    const record = await s.store.read('ns', 'app', 2);
    expect(record.objects.find(isCrd)).toEqual(crd('v1'));
    expect(record.stale).toEqual([]);
    // A chart that dropped the CRD: still not pruned, still recorded.
    const dropped = await runOperation(s, plan([{ ...map, data: { v: '3' } }]), upgrade, skip);
    expect(crdDeletes(client.calls)).toEqual([]);
    expect(client.objects.has(crdKey)).toBe(true);
    expect((await s.store.read('ns', 'app', 3)).objects.find(isCrd)).toEqual(crd('v1'));
    // The widget was dropped by the chart and is pruned as usual.
    expect(dropped.pruned.map((r) => r.kind)).toEqual(['Widget']);
  });

  test('the same chart again without --skip-crds is not "no changes": it applies the chart\'s CRD', async () => {
    const { s, client } = crdSession();
    await runOperation(s, plan([crd('v1'), map]), { kind: 'install' }, QUICK_OPERATION);
    await runOperation(s, plan([crd('v2'), map]), upgrade, skip);
    const again = await runOperation(s, plan([crd('v2'), map]), upgrade, skip);
    expect(again.noChange).toBe(true);
    const full = await runOperation(s, plan([crd('v2'), map]), upgrade, QUICK_OPERATION);
    expect(full.noChange).toBe(false);
    expect((client.objects.get(crdKey)?.metadata?.annotations as Record<string, string>).description).toBe('v2');
  });

  test('an install with --skip-crds creates no CRD and records none', async () => {
    const { s, client } = crdSession();
    const result = await runOperation(s, plan([crd('v1'), map]), { kind: 'install' }, skip);
    expect(crdApplies(client.calls)).toEqual([]);
    expect(client.objects.has(crdKey)).toBe(false);
    expect(result.applied.map((r) => r.kind)).toEqual(['ConfigMap']);
    expect((await s.store.read('ns', 'app', 1)).objects.some(isCrd)).toBe(false);
  });
});
