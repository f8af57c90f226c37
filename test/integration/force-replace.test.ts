// Immutable fields (#15, point 6): a StatefulSet's volumeClaimTemplates change fails as FIELD_IMMUTABLE unless
// --force-replace (or the kc.dev/force-replace annotation) lets kc delete it and create it again; kc diff previews
// both; dry runs delete nothing; an object that is not the release's is never replaced.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, waitFor, type TestNamespace } from './helpers/cluster.js';
import { historyOf, kcIn } from './helpers/kc.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

/** A StatefulSet (not waited for: no volume provisioner here) with a claim template of `storage`, and its Service. */
const DB_CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

const schema = z.object({
  storage: z.string().default('1Gi'),
  name: z.string().optional(),
  service: z.boolean().default(true),
  forceReplace: z.boolean().default(false),
});

export class Db extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'db', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Db.meta, props);
    const v = this.values;
    const name = v.name ?? id;
    const labels = { app: name };
    const annotations: Record<string, string> = { 'kc.dev/wait': 'false' };
    if (v.forceReplace) annotations['kc.dev/force-replace'] = 'true';
    if (v.service) {
      new k8s.KubeService(this, 'svc', {
        metadata: { name }, spec: { clusterIp: 'None', selector: labels, ports: [{ port: 5432 }] },
      });
    }
    new k8s.KubeStatefulSet(this, 'sts', {
      metadata: { name, annotations },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
        volumeClaimTemplates: [{
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: k8s.Quantity.fromString(v.storage) } },
          },
        }],
      },
    });
  }
}
export default Db;
`;

let ns: TestNamespace;
let chart: TempProject;
let apps: k8s.AppsV1Api;

beforeAll(async () => {
  ns = await freshNamespace('replace');
  chart = tempProject({ 'index.ts': DB_CHART });
  apps = makeKubeConfig().makeApiClient(k8s.AppsV1Api);
});
afterAll(async () => {
  await ns.cleanup();
  chart.remove();
});

async function statefulSet(name: string): Promise<{ uid?: string; storage?: string; owner?: string }> {
  const sts = await apps.readNamespacedStatefulSet({ name, namespace: ns.name });
  const storage = sts.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage;
  return { uid: sts.metadata?.uid, storage: String(storage), owner: sts.metadata?.annotations?.['kc.dev/release'] };
}

describe('a StatefulSet whose volumeClaimTemplates change', () => {
  test('fails as FIELD_IMMUTABLE without --force-replace, and is replaced with it', async () => {
    const install = await kcIn(ns.name, ['install', 'db', chart.dir]);
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    const first = await statefulSet('db');
    expect(first.storage).toBe('1Gi');

    // kc diff shows the change and what the upgrade will do about it, with and without the flag.
    const twoGi = ['--set', 'storage=2Gi'];
    const plain = await kcIn(ns.name, ['diff', 'db', chart.dir, ...twoGi]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(`~ update StatefulSet/${ns.name}/db`);
    expect(plain.stdout).toContain('! immutable field changed: the deploy fails, needs --force-replace');
    expect(plain.stdout).toMatch(/-\s+storage: 1Gi\n\+\s+storage: 2Gi\n/);
    const preview = await kcIn(ns.name, ['diff', 'db', chart.dir, ...twoGi, '--force-replace']);
    expect(preview.stdout).toContain(`± replace StatefulSet/${ns.name}/db`);
    expect(preview.stdout).toContain('! will be replaced (immutable field changed)');
    expect(preview.stdout).toContain('1 to update (1 by replacing)');

    const refused = await kcIn(ns.name, ['upgrade', 'db', chart.dir, ...twoGi]);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain(
      `Error [FIELD_IMMUTABLE]: StatefulSet/${ns.name}/db: an immutable field changed, the API server refuses the` +
        ' update',
    );
    expect(refused.stderr).toContain('spec: Forbidden: updates to statefulset spec');
    expect(refused.stderr).toContain(
      'Hint: pass --force-replace to delete and create it again (or annotate it kc.dev/force-replace: "true")',
    );
    expect(await statefulSet('db')).toEqual(first);
    let history = await historyOf(ns.name, 'db');
    expect(history.map((h) => [h.revision, h.status])).toEqual([[1, 'deployed'], [2, 'failed']]);
    expect(history[1].description).toContain('an immutable field changed');

    // A server dry run with the flag judges the replacement but deletes nothing.
    const dry = await kcIn(ns.name, ['upgrade', 'db', chart.dir, ...twoGi, '--force-replace', '--dry-run=server']);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(await statefulSet('db')).toEqual(first);
    expect(await historyOf(ns.name, 'db')).toHaveLength(2);

    const replaced = await kcIn(ns.name, ['upgrade', 'db', chart.dir, ...twoGi, '--force-replace']);
    expect(replaced.stderr).toBe('');
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain(`  replaced StatefulSet/${ns.name}/db: immutable field changed\n`);
    expect(replaced.stdout).not.toContain('replaced Service');
    const second = await statefulSet('db');
    expect(second.uid).not.toBe(first.uid);
    expect(second).toMatchObject({ storage: '2Gi', owner: `${ns.name}/db` });
    history = await historyOf(ns.name, 'db');
    expect(history.map((h) => [h.revision, h.status])).toEqual([[1, 'superseded'], [2, 'failed'], [3, 'deployed']]);
    // The StatefulSet controller runs the new object: its pod comes back.
    const core = makeKubeConfig().makeApiClient(k8s.CoreV1Api);
    await waitFor(async () => {
      const pod = await core.readNamespacedPod({ name: 'db-0', namespace: ns.name });
      return pod.metadata?.ownerReferences?.[0]?.uid === second.uid;
    }, { timeoutMs: 60_000, description: 'pod db-0 of the new StatefulSet' });
  }, 180_000);

  test('the kc.dev/force-replace annotation opts the object in without the flag', async () => {
    const install = await kcIn(ns.name, ['install', 'annotated', chart.dir, '--set', 'forceReplace=true']);
    expect(install.code).toBe(0);
    const first = await statefulSet('annotated');
    const upgrade = await kcIn(ns.name, ['upgrade', 'annotated', chart.dir, '--set', 'forceReplace=true,storage=3Gi']);
    expect(upgrade.stderr).toBe('');
    expect(upgrade.code).toBe(0);
    expect(upgrade.stdout).toContain(`  replaced StatefulSet/${ns.name}/annotated: immutable field changed\n`);
    const second = await statefulSet('annotated');
    expect(second.uid).not.toBe(first.uid);
    expect(second.storage).toBe('3Gi');
  }, 120_000);
});

describe('an object of another owner', () => {
  test('is never replaced: applied by hand, or another release\'s, whatever the flags', async () => {
    // By hand: kubectl's field manager, no release annotation.
    await apps.createNamespacedStatefulSet({
      namespace: ns.name,
      body: {
        metadata: { name: 'hand' },
        spec: {
          serviceName: 'hand',
          replicas: 0,
          selector: { matchLabels: { app: 'hand' } },
          template: {
            metadata: { labels: { app: 'hand' } },
            spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
          },
          volumeClaimTemplates: [{
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          }],
        },
      },
    });
    const hand = await statefulSet('hand');
    const takeAll = ['--adopt', '--force-conflicts', '--force-replace'];
    const setHand = ['--set', 'storage=2Gi,service=false'];
    const byHand = await kcIn(ns.name, ['install', 'hand', chart.dir, ...setHand, ...takeAll]);
    expect(byHand.code).toBe(6);
    expect(byHand.stderr).toContain(`[FIELD_IMMUTABLE]: StatefulSet/${ns.name}/hand: an immutable field changed`);
    expect(byHand.stderr).toContain(`not replaced: StatefulSet/${ns.name}/hand: not owned by kc`);
    expect(await statefulSet('hand')).toEqual(hand);

    // Another release's: release "theirs" owns StatefulSet "theirs"; release "mine" renders the same name.
    expect((await kcIn(ns.name, ['install', 'theirs', chart.dir, '--set', 'service=false'])).code).toBe(0);
    const theirs = await statefulSet('theirs');
    const mine = await kcIn(ns.name, [
      'install', 'mine', chart.dir, '--set', 'name=theirs,service=false,storage=2Gi,forceReplace=true', ...takeAll,
    ]);
    expect(mine.code).toBe(6);
    expect(mine.stderr).toContain(`not replaced: StatefulSet/${ns.name}/theirs: owned by release ${ns.name}/theirs`);
    expect(await statefulSet('theirs')).toEqual(theirs);
    expect((await historyOf(ns.name, 'theirs')).map((h) => h.status)).toEqual(['deployed']);
  }, 120_000);
});
