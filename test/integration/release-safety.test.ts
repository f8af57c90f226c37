// Never stuck: the release lock and a killed holder, SIGINT mid-wait, --atomic, field-manager conflicts.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, waitFor, type TestNamespace } from './helpers/cluster.js';
import { historyOf, kcIn, secretsOf, spawnKc, waitForLease } from './helpers/kc.js';
import { CONFIG_CHART, tempProject } from '../helpers/temp-project.js';

let ns: TestNamespace;
beforeAll(async () => {
  ns = await freshNamespace('safety');
});
afterAll(async () => {
  await ns.cleanup();
});

const unschedulable = ['--set', 'nodeSelector.kc-test/none=true'];

describe('locking', () => {
  test('a second operation fails fast naming the holder; after kill -9 the lock expires and the next one proceeds', async () => {
    const first = spawnKc(ns.name, ['install', 'locked', 'charts/webapp', ...unschedulable, '--timeout', '5m']);
    const lease = await waitForLease(ns.name, 'locked');
    expect(lease.spec?.holderIdentity).toContain(`"pid":${first.child.pid}`);

    const blocked = await kcIn(ns.name, ['upgrade', 'locked', 'charts/webapp']);
    expect(blocked.code).toBe(6);
    expect(blocked.stderr).toContain('[RELEASE_LOCKED]');
    expect(blocked.stderr).toMatch(new RegExp(`locked by another operation: .*@.* \\(pid ${first.child.pid}\\) since `));

    first.child.kill('SIGKILL');
    await first.exited;
    const started = Date.now();
    const next = await kcIn(ns.name, ['upgrade', 'locked', 'charts/webapp', '--wait-for-lock', '60s', '--timeout', '60s']);
    expect(next.stderr).not.toContain('Error');
    expect(next.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    const history = await historyOf(ns.name, 'locked');
    // The killed install was left pending; the next operation marked it failed, never leaving it pending.
    expect(history[0]).toMatchObject({ revision: 1, status: 'failed' });
    expect(history[0].description).toContain('interrupted');
    expect(history[1]).toMatchObject({ revision: 2, status: 'deployed' });
  }, 150_000);
});

describe('a render that fails', () => {
  test('leaves nothing behind, though the lock is taken while the chart renders: no lease, record or key; the next install proceeds', async () => {
    const own = await freshNamespace('renderfail');
    try {
      const bad = await kcIn(own.name, ['install', 'badvalues', 'charts/webapp', '--set', 'replicaCount=-1']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('[VALUES_INVALID]');
      expect(bad.stderr).not.toContain('--reuse-values'); // an install has no deployed values to reuse
      const coord = makeKubeConfig().makeApiClient(k8s.CoordinationV1Api);
      expect((await coord.listNamespacedLease({ namespace: own.name })).items).toEqual([]);
      expect((await secretsOf(own.name)).map((s) => s.metadata?.name).filter((n) => n?.startsWith('kc.'))).toEqual([]);
      const next = await kcIn(own.name, ['install', 'badvalues', 'charts/webapp', '--no-wait']);
      expect(next.stderr).not.toContain('RELEASE_LOCKED');
      expect(next.code).toBe(0);
    } finally {
      await own.cleanup();
    }
  }, 60_000);
});

describe('interrupts', () => {
  test.each([['SIGINT' as const], ['SIGTERM' as const]])('%s while waiting marks the revision failed and releases the lock', async (signal) => {
    const release = `stopped-${signal.toLowerCase()}`;
    const proc = spawnKc(ns.name, ['install', release, 'charts/webapp', ...unschedulable, '--timeout', '5m']);
    await waitForLease(ns.name, release);
    await waitFor(async () => (await historyOf(ns.name, release).catch(() => [])).length === 1, { timeoutMs: 30_000, description: 'pending revision' });
    await waitFor(() => proc.output().includes('Deployment/'), { timeoutMs: 30_000, description: 'the wait to start' });
    proc.child.kill(signal);
    const { code } = await proc.exited;
    expect(code).toBe(7);
    expect(proc.output()).toContain(`[INTERRUPTED]: interrupted by ${signal}`);
    const history = await historyOf(ns.name, release);
    expect(history).toEqual([expect.objectContaining({ revision: 1, status: 'failed' })]);
    const coord = makeKubeConfig().makeApiClient(k8s.CoordinationV1Api);
    await expect(coord.readNamespacedLease({ name: `kc-lock.${release}`, namespace: ns.name })).rejects.toThrow();
  }, 90_000);
});

describe('timeouts', () => {
  test('a claim that cannot bind is explained by its event, and the pod waiting on it by the scheduler, at the timeout and in status', async () => {
    const run = await kcIn(ns.name, ['install', 'unbound', 'charts/mysql', '--set', 'rootPassword=x', '--set', 'persistence.storageClass=kc-test-missing', '--timeout', '8s']);
    expect(run.code).toBe(7);
    expect(run.stderr).toContain(`PersistentVolumeClaim/${ns.name}/unbound-mysql: Pending — ProvisioningFailed: storageclass.storage.k8s.io "kc-test-missing" not found`);
    expect(run.stderr).toMatch(/Deployment\/\S+\/unbound-mysql: 0\/1 replicas available — pod unbound-mysql-\S+ is Unschedulable: .*unbound immediate PersistentVolumeClaims/);
    expect((await historyOf(ns.name, 'unbound')).map((h) => h.status)).toEqual(['failed']);
    // status explains the same objects, in its table and in -o json.
    const shown = await kcIn(ns.name, ['status', 'unbound']);
    expect(shown.stdout).toMatch(/PersistentVolumeClaim\/\S+\/unbound-mysql\s+no\s+synced\s+Pending — ProvisioningFailed: storageclass\.storage\.k8s\.io "kc-test-missing" not found/);
    expect(shown.code).toBe(7); // every object as applied, some not ready
    expect(shown.stderr).toContain('Error [NOT_READY]: 2 objects of release unbound are not ready');
    const report = JSON.parse((await kcIn(ns.name, ['status', 'unbound', '-o', 'json'])).stdout) as { objects: { ref: { kind: string }; why?: string }[] };
    expect(report.objects.find((o) => o.ref.kind === 'Deployment')?.why).toMatch(/^pod unbound-mysql-\S+ is Unschedulable: /);
    expect(report.objects.find((o) => o.ref.kind === 'Secret')?.why).toBeUndefined();
  }, 60_000);
});

describe('--atomic', () => {
  test('an upgrade whose pod cannot be scheduled times out, names why, and is rolled back', async () => {
    expect((await kcIn(ns.name, ['install', 'atomic', 'charts/webapp', '--set', 'replicaCount=1', '--timeout', '60s'])).code).toBe(0);
    const run = await kcIn(ns.name, ['upgrade', 'atomic', 'charts/webapp', ...unschedulable, '--atomic', '--timeout', '5s']);
    expect(run.code).toBe(7);
    expect(run.stderr).toContain('[TIMEOUT]');
    expect(run.stderr).toContain('Unschedulable');
    const history = await historyOf(ns.name, 'atomic');
    expect(history.map((h) => [h.revision, h.status])).toEqual([[1, 'superseded'], [2, 'failed'], [3, 'deployed']]);
    expect(history[2].description).toBe('Rollback to 1 (--atomic)');
    const apps = makeKubeConfig().makeApiClient(k8s.AppsV1Api);
    const d = await apps.readNamespacedDeployment({ name: 'atomic-webapp', namespace: ns.name });
    expect(d.spec?.template.spec?.nodeSelector ?? {}).toEqual({});
  }, 120_000);

  test('a failed --atomic install removes what it created', async () => {
    const run = await kcIn(ns.name, ['install', 'atomic-new', 'charts/webapp', ...unschedulable, '--atomic', '--timeout', '3s']);
    expect(run.code).toBe(7);
    const apps = makeKubeConfig().makeApiClient(k8s.AppsV1Api);
    await expect(apps.readNamespacedDeployment({ name: 'atomic-new-webapp', namespace: ns.name })).rejects.toThrow();
    expect((await historyOf(ns.name, 'atomic-new'))[0].status).toBe('uninstalled');
  }, 60_000);
});

describe('field managers', () => {
  test('a field owned by another manager is a conflict naming the field and manager; --force-conflicts takes it', async () => {
    expect((await kcIn(ns.name, ['install', 'owned', 'charts/webapp', '--no-wait'])).code).toBe(0);
    const objects = k8s.KubernetesObjectApi.makeApiClient(makeKubeConfig());
    await objects.patch(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'owned-webapp', namespace: ns.name }, spec: { replicas: 3 } },
      undefined, undefined, 'other-tool', true, k8s.PatchStrategy.ServerSideApply,
    );
    const run = await kcIn(ns.name, ['upgrade', 'owned', 'charts/webapp', '--set', 'replicaCount=2', '--no-wait']);
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('[FIELD_CONFLICT]');
    expect(run.stderr).toContain('.spec.replicas');
    expect(run.stderr).toContain('other-tool');
    expect(run.stderr).toContain('--force-conflicts');
    expect((await historyOf(ns.name, 'owned')).at(-1)?.status).toBe('failed');
    const forced = await kcIn(ns.name, ['upgrade', 'owned', 'charts/webapp', '--set', 'replicaCount=2', '--no-wait', '--force-conflicts']);
    expect(forced.code).toBe(0);
    const apps = makeKubeConfig().makeApiClient(k8s.AppsV1Api);
    expect((await apps.readNamespacedDeployment({ name: 'owned-webapp', namespace: ns.name })).spec?.replicas).toBe(2);
  }, 60_000);

  test('a change made outside kc: diff shows it with its conflict; upgrade refuses to take it back without --force-conflicts', async () => {
    expect((await kcIn(ns.name, ['install', 'drift', 'charts/webapp', '--no-wait'])).code).toBe(0);
    const objects = k8s.KubernetesObjectApi.makeApiClient(makeKubeConfig());
    await objects.patch(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'drift-webapp', namespace: ns.name }, spec: { replicas: 4 } },
      undefined, undefined, 'hand-edit', undefined, k8s.PatchStrategy.MergePatch,
    );
    const replicas = async () => (await makeKubeConfig().makeApiClient(k8s.AppsV1Api).readNamespacedDeployment({ name: 'drift-webapp', namespace: ns.name })).spec?.replicas;

    const diff = await kcIn(ns.name, ['diff', 'drift', 'charts/webapp', '--exit-code']);
    expect(diff.code).toBe(20);
    expect(diff.stdout).toContain('# release drift (namespace ' + ns.name + '): changed outside kc since revision 1 (same chart and values: `upgrade` applies the changed objects again)');
    expect(diff.stdout).toContain('! .spec.replicas: conflict with "hand-edit"');
    expect(diff.stdout).toContain('applying needs --force-conflicts');
    expect(diff.stdout).toMatch(/-\s+replicas: 4\n\+\s+replicas: 1\n/);

    // The same chart and values would repair it, but the field is hand-edit's now: refused before anything is written.
    const same = await kcIn(ns.name, ['upgrade', 'drift', 'charts/webapp', '--no-wait']);
    expect(same.code).toBe(6);
    expect(same.stderr).toContain(`[FIELD_CONFLICT]: Deployment/${ns.name}/drift-webapp was changed outside kc: fields taken by another manager`);
    expect(same.stderr).toContain('--force-conflicts');
    expect(await replicas()).toBe(4);
    expect((await historyOf(ns.name, 'drift')).map((h) => [h.revision, h.status])).toEqual([[1, 'deployed']]);

    const repaired = await kcIn(ns.name, ['upgrade', 'drift', 'charts/webapp', '--no-wait', '--force-conflicts']);
    expect(repaired.stderr).not.toContain('Error');
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain(`repaired Deployment/${ns.name}/drift-webapp: fields taken by another manager`);
    expect(await replicas()).toBe(1);
    expect((await historyOf(ns.name, 'drift')).map((h) => [h.revision, h.status])).toEqual([[1, 'superseded'], [2, 'deployed']]);
    expect((await kcIn(ns.name, ['diff', 'drift', 'charts/webapp', '--exit-code'])).code).toBe(0);
  }, 90_000);

  test('an upgrade re-sends only what changed, and what changed outside kc: an edited or deleted object is never skipped', async () => {
    const maps = tempProject({ 'maps/index.ts': CONFIG_CHART });
    try {
      const set = (a: string) => ['a', 'b', 'c', 'd', 'e', 'f'].flatMap((k) => ['--set', `maps.${k}.v=${k === 'a' ? a : k}`]);
      expect((await kcIn(ns.name, ['install', 'skip', `${maps.dir}/maps`, ...set('1'), '--no-wait'])).code).toBe(0);
      const core = makeKubeConfig().makeApiClient(k8s.CoreV1Api);
      const value = async (name: string) => (await core.readNamespacedConfigMap({ name: `skip-${name}`, namespace: ns.name })).data?.v;

      const one = await kcIn(ns.name, ['upgrade', 'skip', `${maps.dir}/maps`, ...set('2'), '--no-wait']);
      expect(one.code).toBe(0);
      expect(one.stdout).toContain('applied 6 object(s) (5 already so in the cluster, not sent)');
      expect(await value('a')).toBe('2');

      // Deleted outside kc: sent again.
      await core.deleteNamespacedConfigMap({ name: 'skip-c', namespace: ns.name });
      const gone = await kcIn(ns.name, ['upgrade', 'skip', `${maps.dir}/maps`, ...set('3'), '--no-wait']);
      expect(gone.code).toBe(0);
      expect(gone.stdout).toContain('applied 6 object(s) (4 already so in the cluster, not sent)');
      expect(await value('c')).toBe('c');

      // Edited outside kc: sent again, so the edit's conflict shows (the field is now the editor's).
      const objects = k8s.KubernetesObjectApi.makeApiClient(makeKubeConfig());
      await objects.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'skip-b', namespace: ns.name }, data: { v: 'edited' } }, undefined, undefined, 'hand-edit', undefined, k8s.PatchStrategy.MergePatch);
      const edited = await kcIn(ns.name, ['upgrade', 'skip', `${maps.dir}/maps`, ...set('4'), '--no-wait']);
      expect(edited.code).toBe(6);
      expect(edited.stderr).toContain(`apply ConfigMap/${ns.name}/skip-b: fields are owned by another field manager`);
      const forced = await kcIn(ns.name, ['upgrade', 'skip', `${maps.dir}/maps`, ...set('4'), '--no-wait', '--force-conflicts']);
      expect(forced.code).toBe(0);
      expect(forced.stdout).toContain('applied 6 object(s)\n'); // after a failed revision, everything is sent
      expect([await value('a'), await value('b')]).toEqual(['4', 'b']);
    } finally {
      maps.remove();
    }
  }, 90_000);

  test('an existing object that belongs to no release is not taken silently (--adopt takes it)', async () => {
    const core = makeKubeConfig().makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedServiceAccount({ namespace: ns.name, body: { metadata: { name: 'adopt-webapp' } } });
    const run = await kcIn(ns.name, ['install', 'adopt', 'charts/webapp', '--no-wait']);
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('ServiceAccount/' + ns.name + '/adopt-webapp already exists and belongs to no kc release');
    const adopted = await kcIn(ns.name, ['upgrade', 'adopt', 'charts/webapp', '--install', '--no-wait', '--adopt']);
    expect(adopted.code).toBe(0);
  }, 60_000);
});
