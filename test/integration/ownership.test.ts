// Never touch what isn't ours (#15): objects applied by hand or owned by another release survive every path that
// deletes (failed install, uninstall, --atomic, prune, dry runs); an unchanged deploy repairs drift; yielded fields
// keep the values other managers set.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { freshNamespace, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { historyOf, kcIn } from './helpers/kc.js';
import { runCli } from '../helpers/run-cli.js';

let ns: TestNamespace;
const kc = makeKubeConfig();
const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
const apps = kc.makeApiClient(k8s.AppsV1Api);
const core = kc.makeApiClient(k8s.CoreV1Api);

beforeAll(async () => {
  ns = await freshNamespace('owner');
});
afterAll(async () => {
  await ns.cleanup();
});

/** What `kc synth DIR | kubectl apply -n NS -f -` does: creates each object, applied by another manager. */
async function applyByHand(namespace: string, dir: string): Promise<k8s.KubernetesObject[]> {
  const synth = await runCli(['synth', dir]);
  expect(synth.code).toBe(0);
  const docs = parseAllDocuments(synth.stdout).map((d) => d.toJS() as k8s.KubernetesObject).filter(Boolean);
  for (const doc of docs) {
    doc.metadata = { ...doc.metadata, namespace };
    await objects.create(doc, undefined, undefined, 'kubectl-client-side-apply');
  }
  return docs;
}

async function uidOf(kind: string, name: string, namespace = ns.name): Promise<string | undefined> {
  const read = await objects
    .read({ apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1', kind, metadata: { name, namespace } })
    .catch(() => undefined);
  return read?.metadata?.uid;
}

describe('objects applied by hand (the seed tutorial, then kc)', () => {
  let own: TestNamespace;
  beforeAll(async () => {
    own = await freshNamespace('byhand');
  });
  afterAll(async () => {
    await own.cleanup();
  });

  test('a refused install leaves no release, uninstall deletes nothing, and installing after the fix works', async () => {
    const hand = await applyByHand(own.name, 'examples/mysql');
    const uids = await Promise.all(hand.map((o) => uidOf(o.kind!, o.metadata!.name!, own.name)));

    const install = await kcIn(own.name, ['install', 'my-mysql', 'charts/mysql', '--set', 'rootPassword=root', '--no-wait']);
    expect(install.code).toBe(6);
    expect(install.stderr).toContain('[RESOURCE_NOT_OWNED]');
    // Every hand-applied object the release would take is named, not only the first.
    for (const kind of ['Secret', 'PersistentVolumeClaim', 'Service', 'Deployment']) {
      expect(install.stderr).toContain(`${kind}/${own.name}/my-mysql already exists and belongs to no kc release`);
    }

    const history = await kcIn(own.name, ['history', 'my-mysql']);
    expect(history.stderr).toContain('[RELEASE_NOT_FOUND]');
    const dry = await kcIn(own.name, ['uninstall', 'my-mysql', '--dry-run']);
    const real = await kcIn(own.name, ['uninstall', 'my-mysql']);
    expect(dry.stderr).toContain('[RELEASE_NOT_FOUND]');
    expect(real.stderr).toContain('[RELEASE_NOT_FOUND]');
    expect(await Promise.all(hand.map((o) => uidOf(o.kind!, o.metadata!.name!, own.name)))).toEqual(uids);

    // --atomic on top: still nothing of the hand-applied objects is touched.
    const atomic = await kcIn(own.name, ['install', 'my-mysql', 'charts/mysql', '--set', 'rootPassword=root', '--atomic']);
    expect(atomic.code).toBe(6);
    expect(await Promise.all(hand.map((o) => uidOf(o.kind!, o.metadata!.name!, own.name)))).toEqual(uids);

    // Fix the cause (remove the hand-applied objects): the same install works, as revision 1.
    for (const o of hand) await objects.delete({ ...o, metadata: { ...o.metadata, namespace: own.name } });
    const again = await kcIn(own.name, ['install', 'my-mysql', 'charts/mysql', '--set', 'rootPassword=root', '--no-wait']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect((await historyOf(own.name, 'my-mysql')).map((h) => [h.revision, h.status])).toEqual([[1, 'deployed']]);
  }, 120_000);
});

describe('a first install the API server refuses part of', () => {
  test('installing again after fixing the values works without RELEASE_EXISTS and prunes what the failed one left', async () => {
    const bad = await kcIn(ns.name, ['install', 'inv', 'charts/webapp', '--set', 'podLabels.a/b/c=x', '--no-wait']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('[OBJECT_INVALID]');
    expect(await uidOf('ServiceAccount', 'inv-webapp')).toBeDefined(); // applied before the Deployment was refused
    const fixed = await kcIn(ns.name, ['install', 'inv', 'charts/webapp', '--set', 'serviceAccount.create=false', '--no-wait']);
    expect(fixed.stderr).toBe('');
    expect(fixed.stdout).toContain('Install complete');
    expect(fixed.stdout).toContain('pruned 1');
    expect(await uidOf('ServiceAccount', 'inv-webapp')).toBeUndefined();
    expect((await historyOf(ns.name, 'inv')).map((h) => `${h.revision} ${h.status}`)).toEqual(['1 failed', '2 deployed']);
  }, 120_000);
});

describe('objects of another release', () => {
  test('--atomic refuses them before applying anything and deletes none of them', async () => {
    const first = await kcIn(ns.name, ['install', 'a', 'charts/webapp', '--no-wait']);
    expect(first.code).toBe(0);
    const before = await Promise.all(['ServiceAccount', 'Service', 'Deployment'].map((k) => uidOf(k, 'a-webapp')));
    const clash = await kcIn(ns.name, ['install', 'b', 'charts/webapp', '--set', 'fullnameOverride=a-webapp', '--atomic']);
    expect(clash.code).toBe(6);
    expect(clash.stderr).toMatch(/a-webapp already exists and belongs to release .*\/a/);
    expect(await Promise.all(['ServiceAccount', 'Service', 'Deployment'].map((k) => uidOf(k, 'a-webapp')))).toEqual(before);
    expect(before.every(Boolean)).toBe(true);
    expect((await kcIn(ns.name, ['history', 'b'])).stderr).toContain('[RELEASE_NOT_FOUND]');
  }, 120_000);
});

describe('an object someone else took over', () => {
  test('prune, uninstall and its dry run leave it and name it; the dry run says what the real run does', async () => {
    expect((await kcIn(ns.name, ['install', 'p', 'charts/webapp', '--no-wait'])).code).toBe(0);
    // An operator takes the ServiceAccount over: kc's annotation is removed, another manager applies it.
    await core.patchNamespacedServiceAccount(
      { name: 'p-webapp', namespace: ns.name, body: [{ op: 'remove', path: '/metadata/annotations/kc.dev~1release' }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    // kc diff judges the prune as the upgrade will: not a deletion, a leave.
    const diff = await kcIn(ns.name, ['diff', 'p', 'charts/webapp', '--set', 'serviceAccount.create=false']);
    expect(diff.stdout).toContain('0 to delete');
    expect(diff.stdout).toContain(`would leave ServiceAccount/${ns.name}/p-webapp: not owned by kc`);
    const pruned = await kcIn(ns.name, ['upgrade', 'p', 'charts/webapp', '--set', 'serviceAccount.create=false', '--no-wait']);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(`left ServiceAccount/${ns.name}/p-webapp: not owned by kc`);
    expect(await uidOf('ServiceAccount', 'p-webapp')).toBeDefined();

    // The Service is taken over too, now while it is in the release's inventory: uninstall must leave it.
    await core.patchNamespacedService(
      { name: 'p-webapp', namespace: ns.name, body: [{ op: 'remove', path: '/metadata/annotations/kc.dev~1release' }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    const dry = await kcIn(ns.name, ['uninstall', 'p', '--dry-run']);
    expect(dry.code).toBe(0);
    expect([...dry.stdout.matchAll(/^ +would delete (\S+)/gm)].map((m) => m[1])).toEqual([`Deployment/${ns.name}/p-webapp`]);
    expect(dry.stdout).toContain(`would leave Service/${ns.name}/p-webapp: not owned by kc`);
    const real = await kcIn(ns.name, ['uninstall', 'p']);
    expect(real.stdout).toContain('deleted 1 object(s)');
    expect(real.stdout).toContain(`left Service/${ns.name}/p-webapp: not owned by kc`);
    expect(await uidOf('Deployment', 'p-webapp')).toBeUndefined();
    expect(await uidOf('Service', 'p-webapp')).toBeDefined();
    expect(await uidOf('ServiceAccount', 'p-webapp')).toBeDefined();
  }, 120_000);
});

describe('deploys converge', () => {
  test('an unchanged kc deploy re-applies an object deleted by hand, and makes no revision when nothing drifted', async () => {
    const deploy = () => kcIn(ns.name, ['deploy', 'examples/mysql', '--env', 'dev', '--no-wait']);
    expect((await deploy()).code).toBe(0);
    const same = await deploy();
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('no changes');
    await core.deleteNamespacedService({ name: 'my-mysql', namespace: ns.name });
    const repaired = await deploy();
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain(`repaired Service/${ns.name}/my-mysql: missing`);
    expect(await uidOf('Service', 'my-mysql')).toBeDefined();
    const after = await deploy();
    expect(after.stdout).toContain('no changes');
    expect((await historyOf(ns.name, 'my-mysql')).map((h) => h.revision)).toEqual([1, 2]);
  }, 120_000);

  test('kubectl scale on yielded replicas is kept by the next deploy and upgrade', async () => {
    const args = ['charts/webapp', '--set', 'yieldReplicas=true', '--set', 'replicaCount=2', '--no-wait'];
    expect((await kcIn(ns.name, ['install', 'y', ...args])).code).toBe(0);
    await apps.replaceNamespacedDeploymentScale({
      name: 'y-webapp',
      namespace: ns.name,
      body: { metadata: { name: 'y-webapp', namespace: ns.name }, spec: { replicas: 5 } },
    });
    const same = await kcIn(ns.name, ['upgrade', 'y', ...args]);
    expect(same.stdout).toContain('no changes');
    const changed = await kcIn(ns.name, ['upgrade', 'y', ...args, '--set', 'image.tag=1.27.4']);
    expect(changed.code).toBe(0);
    const live = await apps.readNamespacedDeployment({ name: 'y-webapp', namespace: ns.name });
    expect(live.spec?.replicas).toBe(5);
    expect(live.spec?.template.spec?.containers[0].image).toBe('nginx:1.27.4');
    const diff = await kcIn(ns.name, ['diff', 'y', ...args.slice(0, -1), '--set', 'image.tag=1.27.4']);
    expect(diff.code).toBe(0);
    expect(diff.stdout).not.toContain('replicas');
  }, 120_000);
});
