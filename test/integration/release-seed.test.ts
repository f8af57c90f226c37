// The seed tutorial's release steps: install with --set, upgrade --reuse-values, history, rollback.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { deploymentImage, historyOf, kcIn } from './helpers/kc.js';

let ns: TestNamespace;
const pvName = () => `${ns.name}-my-mysql`;

beforeAll(async () => {
  ns = await freshNamespace('seed');
  // As in the seed, the PersistentVolume exists before the release (pv.yaml), reserved for its claim.
  await makeKubeConfig().makeApiClient(k8s.CoreV1Api).createPersistentVolume({
    body: {
      metadata: { name: pvName() },
      spec: {
        capacity: { storage: '4Gi' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        hostPath: { path: `/tmp/kc-it/${ns.name}` },
        claimRef: { namespace: ns.name, name: 'my-mysql' },
      },
    },
  });
});

afterAll(async () => {
  await ns.cleanup();
  await makeKubeConfig().makeApiClient(k8s.CoreV1Api).deletePersistentVolume({ name: pvName() }).catch(() => undefined);
});

describe('the seed: install, upgrade, history, rollback', () => {
  test('install my charts/mysql --set rootPassword=root waits until the Deployment is available and the claim bound', async () => {
    const run = await kcIn(ns.name, ['install', 'my', 'charts/mysql', '--set', 'rootPassword=root', '--timeout', '90s']);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Install complete');
    expect(run.stdout).toContain('NOTES:');
    expect(await deploymentImage(ns.name, 'my-mysql')).toBe('mysql:5.7.14');
  });

  test('upgrade --reuse-values --set image.tag=5.7.15 keeps rootPassword and runs 5.7.15', async () => {
    const run = await kcIn(ns.name, ['upgrade', 'my', 'charts/mysql', '--reuse-values', '--set', 'image.tag=5.7.15', '--timeout', '90s']);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(await deploymentImage(ns.name, 'my-mysql')).toBe('mysql:5.7.15');
    const history = await historyOf(ns.name, 'my');
    expect(history.map((h) => [h.revision, h.status])).toEqual([[1, 'superseded'], [2, 'deployed']]);
  });

  test('an upgrade without --reuse-values starts from chart defaults, so the required rootPassword is missing', async () => {
    const run = await kcIn(ns.name, ['upgrade', 'my', 'charts/mysql', '--set', 'image.tag=5.7.16']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('rootPassword: expected string, received undefined (required, and no layer sets it)');
    expect(run.stderr).toContain("Hint: upgrades start from the chart's defaults, as in Helm 3: pass --reuse-values");
    expect((await historyOf(ns.name, 'my')).length).toBe(2);
  });

  test('diff --reuse-values shows what upgrade --reuse-values would change, and changes nothing', async () => {
    // The chart's test Job is a hook, not part of a revision: an unchanged release shows no changes.
    const same = await kcIn(ns.name, ['diff', 'my', 'charts/mysql', '--reuse-values', '--exit-code']);
    expect(same.stderr).not.toContain('Error');
    expect(same.stdout).toContain('No changes.');
    expect(same.code).toBe(0);
    const next = await kcIn(ns.name, ['diff', 'my', 'charts/mysql', '--reuse-values', '--set', 'image.tag=5.7.16', '--exit-code']);
    expect(next.code).toBe(20); // ExitCode.changesPending
    expect(next.stdout).toContain(`~ update Deployment/${ns.name}/my-mysql`);
    expect(next.stdout).toContain('mysql:5.7.16');
    expect(next.stdout).not.toContain('~ update Secret/'); // rootPassword came from revision 2, unchanged
    expect(next.stdout + next.stderr).not.toContain(Buffer.from('root').toString('base64'));
    // Without --reuse-values the diff starts from chart defaults, as the upgrade would, and fails the same way.
    const fresh = await kcIn(ns.name, ['diff', 'my', 'charts/mysql', '--set', 'image.tag=5.7.16']);
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toContain('rootPassword: expected string, received undefined');
    expect(fresh.stderr).toContain('pass --reuse-values');
    expect(await deploymentImage(ns.name, 'my-mysql')).toBe('mysql:5.7.15');
    expect((await historyOf(ns.name, 'my')).length).toBe(2);
    // Helm 3.14's --reset-then-reuse-values is what kc's --reuse-values does: same values, so no new revision.
    const helmName = await kcIn(ns.name, ['upgrade', 'my', 'charts/mysql', '--reset-then-reuse-values', '--set', 'image.tag=5.7.15']);
    expect(helmName.stdout).toContain('no changes');
    expect((await kcIn(ns.name, ['upgrade', 'my', 'charts/mysql', '--reset-then-reuse-values', '--reset-values'])).stderr).toContain('--reuse-values and --reset-values exclude each other');
    expect((await historyOf(ns.name, 'my')).length).toBe(2);
  });

  test('rollback my 1 puts 5.7.14 back as revision 3 "Rollback to 1" with revision 1\'s manifest byte for byte', async () => {
    const run = await kcIn(ns.name, ['rollback', 'my', '1', '--timeout', '90s']);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(await deploymentImage(ns.name, 'my-mysql')).toBe('mysql:5.7.14');
    const history = await historyOf(ns.name, 'my');
    expect(history.map((h) => [h.revision, h.status, h.description])).toEqual([
      [1, 'superseded', 'Install complete'],
      [2, 'superseded', 'Upgrade complete'],
      [3, 'deployed', 'Rollback to 1'],
    ]);
    const m1 = await kcIn(ns.name, ['get', 'manifest', 'my', '--revision', '1', '--show-secrets']);
    const m3 = await kcIn(ns.name, ['get', 'manifest', 'my', '--revision', '3', '--show-secrets']);
    expect(m3.stdout).toBe(m1.stdout);
    expect(m1.stdout).toContain('kind: Deployment');
  });

  test('list and status show the release and its live objects', async () => {
    const list = JSON.parse((await kcIn(ns.name, ['list', '-o', 'json'])).stdout);
    expect(list).toEqual([expect.objectContaining({ name: 'my', revision: 3, status: 'deployed' })]);
    const status = JSON.parse((await kcIn(ns.name, ['status', 'my', '-o', 'json'])).stdout);
    expect(status.objects.map((o: { ref: { kind: string }; readiness: { ready: boolean } }) => [o.ref.kind, o.readiness.ready])).toEqual([
      ['Secret', true], ['PersistentVolumeClaim', true], ['Service', true], ['Deployment', true],
    ]);
  });

  test('uninstall removes the objects and the history', async () => {
    const run = await kcIn(ns.name, ['uninstall', 'my']);
    expect(run.code).toBe(0);
    const history = await kcIn(ns.name, ['history', 'my']);
    expect(history.code).toBe(3);
    expect(history.stderr).toContain('[RELEASE_NOT_FOUND]');
    const apps = makeKubeConfig().makeApiClient(k8s.AppsV1Api);
    await expect(apps.readNamespacedDeployment({ name: 'my-mysql', namespace: ns.name })).rejects.toThrow();
  });
});
