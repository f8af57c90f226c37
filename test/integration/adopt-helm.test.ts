// `kc adopt helm` against the real Helm 4.3 (test/helm/helm.sh): a release Helm installed and upgraded becomes a kc
// release whose history holds Helm's revisions, without a pod restarted; kc rolls back to a Helm-era revision.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, kubeconfigPath, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { historyOf, kcIn } from './helpers/kc.js';
import { repoRoot } from '../helpers/run-cli.js';

let ns: TestNamespace;
let work: string;
let helmBin: string;
const kc = makeKubeConfig();
const apps = kc.makeApiClient(k8s.AppsV1Api);
const core = kc.makeApiClient(k8s.CoreV1Api);

/** Runs the real helm against the test cluster, with its config and cache in the test's folder. */
function helm(...args: string[]): string {
  const env = {
    ...process.env,
    HELM_CONFIG_HOME: path.join(work, 'config'),
    HELM_CACHE_HOME: path.join(work, 'cache'),
  };
  const res = spawnSync(helmBin, [...args, '--kubeconfig', kubeconfigPath()], { cwd: work, env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`helm ${args.join(' ')} failed: ${res.stderr}`);
  return res.stdout;
}

const helmSecrets = async (release: string) =>
  (await core.listNamespacedSecret({ namespace: ns.name, labelSelector: `owner=helm,name=${release}` })).items
    .map((s) => s.metadata!.name!)
    .sort();

async function deploymentState(name: string) {
  const d = await apps.readNamespacedDeployment({ name, namespace: ns.name });
  const rs = await apps.listNamespacedReplicaSet({ namespace: ns.name });
  const pods = await core.listNamespacedPod({ namespace: ns.name });
  return {
    deployment: d,
    replicaSets: rs.items.map((r) => r.metadata!.uid).sort(),
    pods: pods.items.map((p) => p.metadata!.uid).sort(),
  };
}

beforeAll(async () => {
  ns = await freshNamespace('adopt-helm');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-adopt-helm-'));
  const res = spawnSync('bash', [path.join(repoRoot, 'test/helm/helm.sh'), 'path'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`test/helm/helm.sh path failed: ${res.stderr}`);
  helmBin = res.stdout.trim();
  helm('create', 'hello');
  // kwok runs no pods for real: no --wait.
  helm('install', 'hello', './hello', '-n', ns.name);
  helm('upgrade', 'hello', './hello', '-n', ns.name, '--set', 'replicaCount=2');
}, 120_000);
afterAll(async () => {
  await ns?.cleanup();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('kc adopt helm, with the real Helm', () => {
  test('a pending latest Helm revision is refused with the fix, and leaves no kc release', async () => {
    // Revision 3 as an upgrade Helm was killed in would leave it: pending-upgrade, in data and label.
    const v2 = await core.readNamespacedSecret({ name: 'sh.helm.release.v1.hello.v2', namespace: ns.name });
    const release = JSON.parse(
      zlib.gunzipSync(Buffer.from(Buffer.from(String(v2.data!.release), 'base64').toString(), 'base64')).toString(),
    );
    release.version = 3;
    release.info.status = 'pending-upgrade';
    const encoded = Buffer.from(zlib.gzipSync(JSON.stringify(release)).toString('base64')).toString('base64');
    const name = 'sh.helm.release.v1.hello.v3';
    const labels = { ...v2.metadata!.labels, status: 'pending-upgrade', version: '3' };
    await core.createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name, labels }, type: 'helm.sh/release.v1', data: { release: encoded } },
    });
    try {
      const run = await kcIn(ns.name, ['adopt', 'helm', 'hello']);
      expect(run.code).toBe(6);
      expect(run.stderr).toContain('[HELM_RELEASE_PENDING]');
      expect(run.stderr).toContain('pending-upgrade (revision 3)');
      expect(run.stderr).toContain(`helm rollback hello -n ${ns.name}`);
      expect((await kcIn(ns.name, ['history', 'hello'])).stderr).toContain('[RELEASE_NOT_FOUND]');
    } finally {
      await core.deleteNamespacedSecret({ name, namespace: ns.name });
    }
  });

  test("imports Helm's history and takes the objects without restarting anything", async () => {
    const before = await deploymentState('hello');
    const run = await kcIn(ns.name, ['adopt', 'helm', 'hello']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 revision(s) imported, revision 2 deployed');

    const history = await historyOf(ns.name, 'hello');
    expect(history.map((h) => [h.revision, h.status, h.chart.version, h.description])).toEqual([
      [1, 'superseded', '0.1.0', 'Install complete (Helm)'],
      [2, 'deployed', '0.1.0', 'Upgrade complete (Helm)'],
    ]);

    const after = await deploymentState('hello');
    // Nothing that makes pods changed: the same spec (pod template included), ReplicaSets and pods.
    expect(after.deployment.spec).toEqual(before.deployment.spec);
    expect(after.replicaSets).toEqual(before.replicaSets);
    expect(after.pods).toEqual(before.pods);
    // The API server counts a Deployment's annotation change as a new generation (annotations are copied to its
    // ReplicaSets), so kc's release annotation adds exactly one; no new ReplicaSet comes of it (above).
    expect(after.deployment.metadata!.generation).toBe(before.deployment.metadata!.generation! + 1);
    const meta = after.deployment.metadata!;
    expect(meta.annotations!['kc.dev/release']).toBe(`${ns.name}/hello`);
    const managers = meta.managedFields!.map((m) => `${m.manager}/${m.operation}`);
    expect(managers).toContain('kc/Apply');
    expect(managers.filter((m) => m.startsWith('helm/'))).toEqual([]);
    // Helm's records are left without --delete-helm-records; a second adoption is refused.
    expect(await helmSecrets('hello')).toEqual(['sh.helm.release.v1.hello.v1', 'sh.helm.release.v1.hello.v2']);
    const again = await kcIn(ns.name, ['adopt', 'helm', 'hello']);
    expect(again.code).toBe(6);
    expect(again.stderr).toContain('[RELEASE_EXISTS]');
  });

  test('kc upgrades the adopted release from the Helm chart itself (rendered by helm, kc ownership kept)', async () => {
    const previous = process.env.KC_HELM;
    process.env.KC_HELM = helmBin;
    try {
      const run = await kcIn(ns.name, [
        'upgrade',
        'hello',
        path.join(work, 'hello'),
        '--set',
        'replicaCount=3',
        '--no-wait',
      ]);
      expect(run.stderr).not.toContain('Error');
      expect(run.code).toBe(0);
    } finally {
      if (previous === undefined) delete process.env.KC_HELM;
      else process.env.KC_HELM = previous;
    }
    const d = await apps.readNamespacedDeployment({ name: 'hello', namespace: ns.name });
    expect(d.spec!.replicas).toBe(3);
    expect((await historyOf(ns.name, 'hello')).map((h) => h.status)).toEqual(['superseded', 'superseded', 'deployed']);
  });

  test("kc rolls back to a Helm-era revision: revision 1's manifest is applied again", async () => {
    const run = await kcIn(ns.name, ['rollback', 'hello', '1', '--no-wait']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const d = await apps.readNamespacedDeployment({ name: 'hello', namespace: ns.name });
    expect(d.spec!.replicas).toBe(1); // revision 1 had the chart's default; revision 2 set 2, kc's upgrade 3
    const history = await historyOf(ns.name, 'hello');
    expect(history.map((h) => [h.revision, h.status, h.description])).toEqual([
      [1, 'superseded', 'Install complete (Helm)'],
      [2, 'superseded', 'Upgrade complete (Helm)'],
      [3, 'superseded', 'Upgrade complete'],
      [4, 'deployed', 'Rollback to 1'],
    ]);
  });

  test("--delete-helm-records deletes exactly that release's Helm records, after kc's are written", async () => {
    helm('install', 'other', './hello', '-n', ns.name);
    const run = await kcIn(ns.name, ['adopt', 'helm', 'other', '--delete-helm-records']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Deleted Helm's records: sh.helm.release.v1.other.v1");
    expect(await helmSecrets('other')).toEqual([]);
    expect(await helmSecrets('hello')).toHaveLength(2);
    expect((await historyOf(ns.name, 'other')).map((h) => [h.revision, h.status])).toEqual([[1, 'deployed']]);
    expect(helm('list', '-n', ns.name, '-q').split('\n').filter(Boolean)).toEqual(['hello']);
  });
});
