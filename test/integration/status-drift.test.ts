// kc status on the local control plane: exit 0 when every object of the release exists, matches its revision and is
// ready; DRIFTED (exit 7) naming what was deleted or changed outside kc; NOT_READY (exit 7) when all match but a pod
// cannot run. A deploy of the same chart and values repairs the drift, and status is 0 again.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import type { ReleaseStatusReport } from '../../src/actions/status.js';
import { freshNamespace, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { kcIn, spawnKc } from './helpers/kc.js';

let ns: TestNamespace;
let core: k8s.CoreV1Api;
beforeAll(async () => {
  ns = await freshNamespace('status-drift');
  core = makeKubeConfig().makeApiClient(k8s.CoreV1Api);
});
afterAll(async () => {
  await ns.cleanup();
});

const mysql = ['charts/mysql', '--set', 'rootPassword=root', '--set', 'persistence.enabled=false'];
const status = (release: string, ...more: string[]) => kcIn(ns.name, ['status', release, ...more]);
async function report(release: string): Promise<ReleaseStatusReport> {
  return JSON.parse((await status(release, '-o', 'json')).stdout) as ReleaseStatusReport;
}
async function secretLabels(name: string): Promise<Record<string, string>> {
  return (await core.readNamespacedSecret({ name, namespace: ns.name })).metadata?.labels ?? {};
}

describe('kc status exit codes', () => {
  test('0 when all is well; DRIFTED for a deleted and an edited object; the same chart repairs', async () => {
    const install = await kcIn(ns.name, ['install', 'db', ...mysql, '--timeout', '120s']);
    expect(install.stderr).not.toContain('Error');
    expect(install.code).toBe(0);

    const ok = await status('db');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    for (const kind of ['Secret', 'Service', 'Deployment']) {
      expect(ok.stdout).toMatch(new RegExp(`${kind}/${ns.name}/db-mysql\\s+yes\\s+synced\\s`));
    }
    expect((await report('db')).verdict).toBe('ready');

    // Out of band: the Service deleted (kubectl delete), a label kc set removed from the Secret (kubectl label x-).
    await core.deleteNamespacedService({ name: 'db-mysql', namespace: ns.name });
    const unlabel = [{ op: 'remove', path: '/metadata/labels/app.kubernetes.io~1version' }];
    const asJsonPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);
    await core.patchNamespacedSecret({ name: 'db-mysql', namespace: ns.name, body: unlabel }, asJsonPatch);
    expect(await secretLabels('db-mysql')).not.toHaveProperty(['app.kubernetes.io/version']);

    const drifted = await status('db');
    expect(drifted.code).toBe(7);
    expect(drifted.stderr).toContain('Error [DRIFTED]: 2 objects of release db are missing or differ from revision 1');
    expect(drifted.stderr).toContain(`  Secret/${ns.name}/db-mysql: edited outside kc\n`);
    expect(drifted.stderr).toContain(`  Service/${ns.name}/db-mysql: missing\n`);
    expect(drifted.stdout).toMatch(new RegExp(`Secret/${ns.name}/db-mysql\\s+yes\\s+drifted\\s+edited outside kc`));
    expect(drifted.stdout).toMatch(new RegExp(`Service/${ns.name}/db-mysql\\s+no\\s+missing\\n`));
    expect(drifted.stdout).toMatch(new RegExp(`Deployment/${ns.name}/db-mysql\\s+yes\\s+synced\\s`));
    const json = await report('db');
    expect(json.verdict).toBe('drifted');
    expect(json.objects.map((o) => [o.ref.kind, o.sync, o.drift?.kind])).toEqual([
      ['Secret', 'drifted', 'edited'],
      ['Service', 'missing', 'missing'],
      ['Deployment', 'synced', undefined],
    ]);
    // The built CLI's process exits 7 as well (the in-process runs above return the code main() computed).
    const spawned = spawnKc(ns.name, ['status', 'db']);
    expect((await spawned.exited).code).toBe(7);
    expect(spawned.output()).toContain('[DRIFTED]');

    // The same chart and values: the upgrade applies the drifted objects again, in the words status used.
    const repaired = await kcIn(ns.name, ['upgrade', 'db', ...mysql, '--timeout', '120s']);
    expect(repaired.stderr).not.toContain('Error');
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain(`repaired Service/${ns.name}/db-mysql: missing`);
    expect(repaired.stdout).toContain(`repaired Secret/${ns.name}/db-mysql: edited outside kc`);
    expect(await secretLabels('db-mysql')).toHaveProperty(['app.kubernetes.io/version']);
    const again = await status('db');
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
  }, 180_000);

  test('a label kc set and kubectl changed is drift naming its manager; --force-conflicts takes it back', async () => {
    expect((await kcIn(ns.name, ['install', 'taken', ...mysql, '--timeout', '120s'])).code).toBe(0);
    // As `kubectl label --overwrite` does: an update by another field manager, which now owns the label.
    const objects = k8s.KubernetesObjectApi.makeApiClient(makeKubeConfig());
    const labels = { 'app.kubernetes.io/version': 'by-hand' };
    const metadata = { name: 'taken-mysql', namespace: ns.name, labels };
    const patch = { apiVersion: 'apps/v1', kind: 'Deployment', metadata };
    await objects.patch(patch, undefined, undefined, 'hand-label', undefined, k8s.PatchStrategy.MergePatch);
    const run = await status('taken');
    expect(run.code).toBe(7);
    expect(run.stderr).toContain('Error [DRIFTED]: 1 object of release taken is missing or differs from revision 1');
    const conflict = '(.metadata.labels.app.kubernetes.io/version: conflict with "hand-label"';
    expect(run.stderr).toContain(`Deployment/${ns.name}/taken-mysql: fields taken by another manager ${conflict}`);
    expect(run.stderr).toContain('--force-conflicts takes back fields another manager took');

    const forced = await kcIn(ns.name, ['upgrade', 'taken', ...mysql, '--force-conflicts', '--timeout', '120s']);
    expect(forced.code).toBe(0);
    const again = await status('taken');
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
  }, 180_000);

  test('NOT_READY when every object matches but the pod cannot be scheduled', async () => {
    const unschedulable = ['--set', 'nodeSelector.kc-test/none=true'];
    const run = await kcIn(ns.name, ['install', 'stuck', 'charts/webapp', ...unschedulable, '--no-wait']);
    expect(run.code).toBe(0);
    const shown = await status('stuck');
    expect(shown.code).toBe(7);
    expect(shown.stderr).toContain('Error [NOT_READY]: 1 object of release stuck is not ready');
    expect(shown.stdout).toMatch(new RegExp(`Deployment/${ns.name}/stuck-webapp\\s+no\\s+synced\\s`));
    expect(shown.stdout).not.toMatch(/\s(missing|drifted)\s/);
    expect((await report('stuck')).verdict).toBe('not-ready');
  }, 120_000);
});
