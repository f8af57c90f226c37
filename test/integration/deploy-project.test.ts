// kc deploy: environments of a project, pruning of dropped objects and releases, no-op deploys, diff.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { historyOf, kcIn } from './helpers/kc.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_CHART, PROJECT_FILE, tempProject, type TempProject } from '../helpers/temp-project.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let ns: TestNamespace;
let project: TempProject;
const core = () => makeKubeConfig().makeApiClient(k8s.CoreV1Api);
const configMaps = async (namespace: string) =>
  (await core().listNamespacedConfigMap({ namespace })).items.map((c) => c.metadata!.name!).filter((n) => n !== 'kube-root-ca.crt').sort();

beforeAll(async () => {
  ns = await freshNamespace('deploy');
});
afterAll(async () => {
  await ns.cleanup();
  project?.remove();
  await core().deletePersistentVolume({ name: `${ns.name}-my-mysql` }).catch(() => undefined);
});

describe('kc deploy examples/mysql', () => {
  test('--env dev then --env prod upgrades the release as the project file says', async () => {
    const dev = await kcIn(ns.name, ['deploy', 'examples/mysql', '--env', 'dev', '--timeout', '90s']);
    expect(dev.stderr).not.toContain('Error');
    expect(dev.code).toBe(0);
    expect(dev.stdout).toContain(`Deployed environment dev to namespace ${ns.name}`);
    const apps = makeKubeConfig().makeApiClient(k8s.AppsV1Api);
    const d1 = await apps.readNamespacedDeployment({ name: 'my-mysql', namespace: ns.name });
    expect(d1.spec?.template.spec?.volumes?.[0].emptyDir).toEqual({});

    const prod = await kcIn(ns.name, ['deploy', 'examples/mysql', '--env', 'prod', '--timeout', '90s']);
    expect(prod.stderr).not.toContain('Error');
    expect(prod.code).toBe(0);
    const d2 = await apps.readNamespacedDeployment({ name: 'my-mysql', namespace: ns.name });
    expect(d2.spec?.template.spec?.containers[0].image).toBe('mysql:5.7.15');
    const pvc = await core().readNamespacedPersistentVolumeClaim({ name: 'my-mysql', namespace: ns.name });
    expect(pvc.status?.phase).toBe('Bound');
    expect(pvc.spec?.volumeName).toBe(`${ns.name}-my-mysql`);
    const history = await historyOf(ns.name, 'my-mysql');
    expect(history.map((h) => [h.revision, h.status])).toEqual([[1, 'superseded'], [2, 'deployed']]);
  }, 240_000);
});

describe('pruning and no-op deploys', () => {
  const app = (releases: Record<string, string[]>) => `import { defineApp } from 'kc/chart';
import { Maps } from './maps.js';
export default defineApp((app) => {
${Object.entries(releases).map(([r, maps]) => `  new Maps(app, '${r}', { maps: { ${maps.map((m) => `'${m}': { v: '1' }`).join(', ')} } });`).join('\n')}
});
`;

  test('an object removed from a chart and a release removed from the app are deleted', async () => {
    project = tempProject({ 'kc.config.ts': PROJECT_FILE, 'maps.ts': CONFIG_CHART, 'app.ts': app({ alpha: ['x', 'y'], beta: ['z'] }) });
    const first = await kcIn(ns.name, ['deploy', project.dir, '--env', 'test']);
    expect(first.stderr).not.toContain('Error');
    expect(first.code).toBe(0);
    expect(await configMaps(ns.name)).toEqual(['alpha-x', 'alpha-y', 'beta-z']);

    project.write({ 'app.ts': app({ alpha: ['x'] }) });
    // diff shows both before the deploy does them, and changes nothing.
    const plan = await kcIn(ns.name, ['diff', project.dir, '--env', 'test', '--exit-code']);
    expect(plan.code).toBe(20);
    expect(plan.stdout).toContain(`- delete ConfigMap/${ns.name}/alpha-y`);
    expect(plan.stdout).toContain(`# release beta (namespace ${ns.name}): no longer in the app, deploy uninstalls it`);
    expect(plan.stdout).toContain(`- delete ConfigMap/${ns.name}/beta-z`);
    const only = await kcIn(ns.name, ['diff', project.dir, '--env', 'test', '--only', 'alpha']);
    expect(only.stdout).not.toContain('release beta'); // deploy --only prunes no release either
    expect(await configMaps(ns.name)).toEqual(['alpha-x', 'alpha-y', 'beta-z']);
    const second = await kcIn(ns.name, ['deploy', project.dir, '--env', 'test']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('beta: uninstalled (no longer in the app)');
    expect(await configMaps(ns.name)).toEqual(['alpha-x']);
    expect((await kcIn(ns.name, ['history', 'beta'])).code).toBe(3);
  }, 60_000);

  test('deploying the same app and values again makes no revision', async () => {
    const before = await historyOf(ns.name, 'alpha');
    const again = await kcIn(ns.name, ['deploy', project.dir, '--env', 'test']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('alpha: no changes');
    expect(await historyOf(ns.name, 'alpha')).toEqual(before);
    // --reapply applies the same app again (e.g. to undo hand edits): one new revision, no "no changes".
    const reapplied = await kcIn(ns.name, ['deploy', project.dir, '--env', 'test', '--reapply']);
    expect(reapplied.code).toBe(0);
    expect(reapplied.stdout).not.toContain('no changes');
    expect((await historyOf(ns.name, 'alpha')).map((h) => h.revision)).toEqual([...before.map((h) => h.revision), before.at(-1)!.revision + 1]);
  }, 60_000);

  test('diff exits 0 with no changes, 20 with changes, 2 on bad input', async () => {
    const before = await historyOf(ns.name, 'alpha');
    const none = await kcIn(ns.name, ['diff', project.dir, '--env', 'test', '--exit-code']);
    expect(none.stdout).toContain('No changes.');
    expect(none.code).toBe(0);
    const some = await kcIn(ns.name, ['diff', project.dir, '--env', 'test', '--exit-code', '--set', 'alpha.maps.x.v=2']);
    expect(some.code).toBe(20);
    expect(some.stdout).toContain('~ update ConfigMap/' + ns.name + '/alpha-x');
    expect(some.stdout).toMatch(/-\s+v: "1"/);
    expect(some.stdout).toMatch(/\+\s+v: "2"/);
    const bad = await kcIn(ns.name, ['diff', project.dir, '--env', 'test', '--exit-code', '--set', 'nope.x=1']);
    expect(bad.code).toBe(2);
    // diff changes nothing
    expect(await historyOf(ns.name, 'alpha')).toEqual(before);
  }, 60_000);
});

describe('releases in dependency order', () => {
  test('a release waits for those it depends on: when one fails its dependant never starts, an independent one deploys', async () => {
    const own = await freshNamespace('order');
    const ordered = tempProject({
      'kc.config.ts': PROJECT_FILE,
      'maps.ts': CONFIG_CHART,
      'app.ts': `import { defineApp } from 'kc/chart';
import { WebAppChart } from '${path.join(repoRoot, 'charts/webapp/index.js')}';
import { Maps } from './maps.js';
export default defineApp((app) => {
  const db = new WebAppChart(app, 'db', { nodeSelector: { 'kc-test/none': 'true' } }); // never schedulable
  const web = new Maps(app, 'web', { maps: { w: { v: '1' } } });
  web.addDependency(db);
  new Maps(app, 'side', { maps: { s: { v: '1' } } });
});
`,
    });
    try {
      const run = await kcIn(own.name, ['deploy', ordered.dir, '--env', 'test', '--timeout', '5s']);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('Unschedulable');
      expect((await historyOf(own.name, 'db')).map((h) => h.status)).toEqual(['failed']);
      expect((await kcIn(own.name, ['history', 'web'])).code).toBe(3); // never started
      expect((await historyOf(own.name, 'side')).map((h) => h.status)).toEqual(['deployed']);
      expect(await configMaps(own.name)).toEqual(['side-s']);
    } finally {
      ordered.remove();
      await own.cleanup();
    }
  }, 90_000);
});

describe('an object two releases define', () => {
  test('is refused before anything is applied, naming the object and both releases', async () => {
    const shared = tempProject({
      'kc.config.ts': PROJECT_FILE,
      'app.ts': `import type { Construct } from 'constructs';
import { z } from 'zod';
import { ApiObject } from 'cdk8s';
import { KcChart, defineApp, type ChartMeta } from 'kc/chart';
const schema = z.object({});
// Names its ConfigMap without the release: two releases of it define the same object.
class Settings extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'settings', version: '1.0.0', schema };
  constructor(scope: Construct, id: string) {
    super(scope, id, Settings.meta, {});
    new ApiObject(this, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared-settings' }, data: { by: id } });
  }
}
export default defineApp((app) => {
  new Settings(app, 'one');
  new Settings(app, 'two');
});
`,
    });
    try {
      const run = await kcIn(ns.name, ['deploy', shared.dir, '--env', 'test']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('[CHART_INVALID]');
      expect(run.stderr).toContain('ConfigMap/shared-settings: in releases one and two');
      expect((await kcIn(ns.name, ['history', 'one'])).code).toBe(3);
      expect(await configMaps(ns.name)).not.toContain('shared-settings');
    } finally {
      shared.remove();
    }
  }, 60_000);
});

describe('kc deploy --dry-run', () => {
  test('client renders without a cluster; server validates with the API server; neither makes a revision', async () => {
    const client = await kcIn(ns.name, ['deploy', 'examples/webapp-with-db', '--env', 'prod', '--dry-run']);
    expect(client.code).toBe(0);
    expect(client.stdout).toContain('kind: HorizontalPodAutoscaler');
    const server = await kcIn(ns.name, ['deploy', 'examples/webapp-with-db', '--env', 'dev', '--dry-run=server']);
    expect(server.stderr).toBe('');
    expect(server.code).toBe(0);
    // The server filled in defaults, so this came back from the API server; shown as kubectl shows objects.
    expect(server.stdout).toContain('creationTimestamp');
    expect(server.stdout).not.toContain('managedFields');
    expect(server.stdout).toMatch(/kind: Secret/);
    expect(server.stdout).toContain('(redacted: hmac ');
    expect((await kcIn(ns.name, ['history', 'web'])).code).toBe(3);
  }, 60_000);
});
