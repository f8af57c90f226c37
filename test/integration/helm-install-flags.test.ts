// Helm's --skip-crds and --cleanup-on-fail on the real cluster: a CRD recorded by an earlier revision survives
// upgrades that skip CRDs (neither updated nor pruned, its custom resources intact); a failed upgrade with
// --cleanup-on-fail deletes the object it created and keeps those that existed before it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { historyOf, kcIn } from './helpers/kc.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';
import { GADGET_CHART } from '../helpers/gadget-chart.js';

let ns: TestNamespace;
let chart: TempProject;
let group: string;
const kc = makeKubeConfig();
const core = kc.makeApiClient(k8s.CoreV1Api);
const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
const custom = kc.makeApiClient(k8s.CustomObjectsApi);

beforeAll(async () => {
  ns = await freshNamespace('helm-flags');
  group = `${ns.name}.kc-test.example.com`; // CRDs are cluster-wide: one group per run
  chart = tempProject({ 'index.ts': GADGET_CHART });
});
afterAll(async () => {
  await ext.deleteCustomResourceDefinition({ name: `gadgets.${group}` }).catch(() => undefined);
  await ns.cleanup();
  chart.remove();
});

/** Names of the namespace's ConfigMaps that release `release` owns. */
async function mapsOf(release: string): Promise<string[]> {
  const list = await core.listNamespacedConfigMap({ namespace: ns.name });
  return list.items
    .filter((m) => m.metadata?.annotations?.['kc.dev/release'] === `${ns.name}/${release}`)
    .map((m) => m.metadata!.name!)
    .sort();
}

describe('--skip-crds', () => {
  test('upgrades with --skip-crds keep the recorded CRD as it was, even when the chart drops it', async () => {
    const set = (...pairs: string[]) => ['--set', `group=${group}`, ...pairs.flatMap((p) => ['--set', p])];
    const install = await kcIn(ns.name, ['install', 'g', chart.dir, ...set('note=v1')]);
    expect(install.stderr).not.toContain('Error');
    expect(install.code).toBe(0);
    const crdName = `gadgets.${group}`;
    const before = await ext.readCustomResourceDefinition({ name: crdName });
    expect(before.metadata?.annotations?.note).toBe('v1');

    const skipped = await kcIn(ns.name, ['upgrade', 'g', chart.dir, ...set('note=v2'), '--skip-crds']);
    expect(skipped.stderr).not.toContain('Error');
    expect(skipped.code).toBe(0);
    const kept = await ext.readCustomResourceDefinition({ name: crdName });
    expect(kept.metadata?.annotations?.note).toBe('v1'); // not applied
    expect(kept.metadata?.uid).toBe(before.metadata?.uid);
    const gadget = (await custom.getNamespacedCustomObject({
      group,
      version: 'v1',
      namespace: ns.name,
      plural: 'gadgets',
      name: 'g1',
    })) as { spec: { note: string } };
    expect(gadget.spec.note).toBe('v2');
    const manifest = await kcIn(ns.name, ['get', 'manifest', 'g']);
    expect(manifest.stdout).toContain('kind: CustomResourceDefinition'); // carried over in the record

    // The chart no longer has the CRD: with --skip-crds it is not pruned, and its custom resource stays.
    const dropped = await kcIn(ns.name, ['upgrade', 'g', chart.dir, ...set('note=v3', 'crd=false'), '--skip-crds']);
    expect(dropped.stderr).not.toContain('Error');
    expect(dropped.code).toBe(0);
    expect((await ext.readCustomResourceDefinition({ name: crdName })).metadata?.uid).toBe(before.metadata?.uid);
    await custom.getNamespacedCustomObject({ group, version: 'v1', namespace: ns.name, plural: 'gadgets', name: 'g1' });
    expect((await historyOf(ns.name, 'g')).map((h) => h.status)).toEqual(['superseded', 'superseded', 'deployed']);

    // Without --skip-crds the chart's CRD is applied again.
    const full = await kcIn(ns.name, ['upgrade', 'g', chart.dir, ...set('note=v4')]);
    expect(full.code).toBe(0);
    expect((await ext.readCustomResourceDefinition({ name: crdName })).metadata?.annotations?.note).toBe('v4');
  }, 180_000);
});

describe('--cleanup-on-fail', () => {
  test('a failed upgrade deletes the object it created; the objects that existed stay', async () => {
    const base = ['--set', 'crd=false', '--set', 'gadget=false'];
    const install = await kcIn(ns.name, ['install', 'c', chart.dir, ...base]);
    expect(install.code).toBe(0);
    const existing = await mapsOf('c');
    expect(existing).toHaveLength(1);

    const failed = await kcIn(ns.name, [
      'upgrade',
      'c',
      chart.dir,
      ...base,
      '--set',
      'extra=true',
      '--set',
      'broken=true',
      '--set',
      'note=v2',
      '--cleanup-on-fail',
    ]);
    expect(failed.code).not.toBe(0);
    const extra = `ConfigMap/${ns.name}/${existing[0]}-extra`;
    expect(failed.stderr).toContain(`--cleanup-on-fail removed what it created: ${extra}`);
    expect(await mapsOf('c')).toEqual(existing); // the extra ConfigMap is gone, the first one kept
    const kept = await core.readNamespacedConfigMap({ name: existing[0], namespace: ns.name });
    expect(kept.data?.note).toBe('v2'); // updated by the failed revision, not deleted: it existed before
    const history = await historyOf(ns.name, 'c');
    expect(history.map((h) => h.status)).toEqual(['deployed', 'failed']);
    expect(history[1].description).toContain(`--cleanup-on-fail removed what it created: ${extra}`);

    // Without the flag the failed revision leaves what it created, as before.
    const plain = await kcIn(ns.name, [
      'upgrade',
      'c',
      chart.dir,
      ...base,
      '--set',
      'extra=true',
      '--set',
      'broken=true',
    ]);
    expect(plain.code).not.toBe(0);
    expect(await mapsOf('c')).toEqual([...existing, `${existing[0]}-extra`].sort());
  }, 180_000);
});
