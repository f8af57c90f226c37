// Hooks run around operations and fail them when they fail; kc test runs test Jobs and typed checks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { historyOf, kcIn } from './helpers/kc.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

let ns: TestNamespace;
let chart: TempProject;

// A Deployment plus a pre-upgrade migration Job that is kept after it runs (so its timing can be checked).
const HOOKED_CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, hook, type ChartMeta } from 'kc/chart';

const schema = z.object({ tag: z.string().default('1'), migrationNode: z.string().optional() });

export class Hooked extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'hooked', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Hooked.meta, props);
    const labels = { app: id };
    new k8s.KubeDeployment(this, 'app', {
      metadata: { name: id },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app:' + this.values.tag }] } } },
    });
    const migrate = new k8s.KubeJob(this, 'migrate', {
      metadata: { name: id + '-migrate' },
      spec: { backoffLimit: 0, template: { spec: {
        restartPolicy: 'Never',
        nodeSelector: this.values.migrationNode ? { 'kubernetes.io/hostname': this.values.migrationNode } : undefined,
        containers: [{ name: 'migrate', image: 'migrate:' + this.values.tag }],
      } } },
    });
    hook(migrate, { on: ['pre-upgrade'] });
  }
}
export default Hooked;
`;

beforeAll(async () => {
  ns = await freshNamespace('hooks');
  chart = tempProject({ 'index.ts': HOOKED_CHART });
});
afterAll(async () => {
  await ns.cleanup();
  chart.remove();
});

describe('hooks', () => {
  test('a pre-upgrade Job completes before the Deployment changes', async () => {
    const install = await kcIn(ns.name, ['install', 'h', chart.dir, '--timeout', '60s']);
    expect(install.code).toBe(0);
    expect(install.stdout).not.toContain('hook pre-upgrade');
    const batch = makeKubeConfig().makeApiClient(k8s.BatchV1Api);
    await expect(batch.readNamespacedJob({ name: 'h-migrate', namespace: ns.name })).rejects.toThrow();

    const upgrade = await kcIn(ns.name, ['upgrade', 'h', chart.dir, '--set', 'tag=2', '--timeout', '60s']);
    expect(upgrade.stderr).not.toContain('Error');
    expect(upgrade.code).toBe(0);
    expect(upgrade.stdout).toContain(`hook pre-upgrade Job/h-migrate: Complete`);
    const job = await batch.readNamespacedJob({ name: 'h-migrate', namespace: ns.name });
    const apps = makeKubeConfig().makeApiClient(k8s.AppsV1Api);
    const deployment = await apps.readNamespacedDeployment({ name: 'h', namespace: ns.name });
    expect(deployment.spec?.template.spec?.containers[0].image).toBe('app:2');
    const applied = deployment.metadata?.managedFields?.find((f) => f.manager === 'kc' && f.operation === 'Apply')?.time;
    expect(job.status?.completionTime).toBeDefined();
    expect(new Date(job.status!.completionTime!).getTime()).toBeLessThanOrEqual(new Date(applied!).getTime());
  }, 120_000);

  test('a failing hook fails the upgrade, leaves the Deployment alone and marks the revision failed', async () => {
    const run = await kcIn(ns.name, ['upgrade', 'h', chart.dir, '--set', 'tag=3', '--set', 'migrationNode=nowhere', '--timeout', '4s']);
    expect(run.code).toBe(7);
    expect(run.stderr).toContain(`[HOOK_FAILED]: pre-upgrade hook Job/${ns.name}/h-migrate failed: timed out`);
    expect(run.stderr).toContain('Unschedulable');
    const apps = makeKubeConfig().makeApiClient(k8s.AppsV1Api);
    expect((await apps.readNamespacedDeployment({ name: 'h', namespace: ns.name })).spec?.template.spec?.containers[0].image).toBe('app:2');
    const history = await historyOf(ns.name, 'h');
    expect(history.map((h) => h.status)).toEqual(['superseded', 'deployed', 'failed']);
    expect(history[2].description).toContain(`pre-upgrade hook Job/${ns.name}/h-migrate failed`);
  }, 60_000);
});

describe('kc test', () => {
  test('passes with the seed\'s client Job and the chart\'s typed checks, and writes JUnit', async () => {
    const install = await kcIn(ns.name, ['install', 'db', 'charts/mysql', '--set', 'rootPassword=root', '--set', 'persistence.enabled=false', '--timeout', '60s']);
    expect(install.code).toBe(0);
    const junit = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kc-junit-')), 'report.xml');
    const run = await kcIn(ns.name, ['test', 'db', 'charts/mysql', '--junit', junit, '--timeout', '60s']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('PASS  Job/db-mysql-test  Complete');
    expect(run.stdout).toContain('PASS  the Deployment is available with the configured image');
    expect(run.stdout).toContain('3 passed, 0 failed');
    expect(fs.readFileSync(junit, 'utf8')).toContain('<testsuite name="db" tests="3" failures="0">');
  }, 120_000);

  test('fails when a check fails, names it, and exits non-zero', async () => {
    await makeKubeConfig().makeApiClient(k8s.AppsV1Api).deleteNamespacedDeployment({ name: 'db-mysql', namespace: ns.name });
    const run = await kcIn(ns.name, ['test', 'db', 'charts/mysql', '-o', 'json', '--timeout', '60s']);
    expect(run.code).toBe(7);
    expect(run.stderr).toContain('[TESTS_FAILED]');
    const report = JSON.parse(run.stdout);
    expect(report.passed).toBe(false);
    expect(report.results.find((r: { name: string }) => r.name.startsWith('the Deployment'))).toMatchObject({ ok: false, reason: 'Deployment db-mysql does not exist' });
  }, 120_000);
});
