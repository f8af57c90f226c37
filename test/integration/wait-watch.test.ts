// kc install --wait watches (#17, "watch, don't poll"): an install of a chart of four Deployments on the local
// control plane (kwok runs their pods) ends soon after the last of them becomes ready. A watch of this test's own
// sees each Deployment's status updates; the latency measured is from the update that made the last one ready (as
// this watch saw it) to the exit of the kc process. The 250 ms target is the bench's (bench/wait-latency.mjs); this
// test only bounds it at 1 s, which one-second polling could miss.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { readinessOf } from '../../src/kube/readiness.js';
import type { KubeObject } from '../../src/kube/types.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';
import { freshNamespace, kubeconfigPath, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { historyOf, spawnKc } from './helpers/kc.js';

const FLEET_CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

const schema = z.object({
  count: z.number().default(4),
  replicas: z.number().default(2),
  stuck: z.boolean().default(false),
});

export class Fleet extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'fleet', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Fleet.meta, props);
    for (let i = 0; i < this.values.count; i++) {
      const name = \`\${id}-web-\${i}\`;
      const labels = { app: name };
      new k8s.KubeDeployment(this, name, {
        metadata: { name },
        spec: {
          replicas: this.values.replicas,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [{ name: 'web', image: 'example.invalid/web:1.0' }],
              // No node has this label: the pods stay Pending (Unschedulable) and the Deployment never gets ready.
              nodeSelector: this.values.stuck ? { 'kc.test/nowhere': 'true' } : undefined,
            },
          },
        },
      });
    }
  }
}
export default Fleet;
`;

let ns: TestNamespace;
let chart: TempProject;
beforeAll(async () => {
  ns = await freshNamespace('wait-watch');
  chart = tempProject({ 'index.ts': FLEET_CHART });
});
afterAll(async () => {
  await ns.cleanup();
  chart.remove();
});

/** Watches the namespace's Deployments: when each was first seen ready (this process's clock). */
async function watchReadiness(namespace: string): Promise<{ readyAt: Map<string, number>; stop: () => void }> {
  const readyAt = new Map<string, number>();
  const watch = new k8s.Watch(makeKubeConfig());
  const controller = await watch.watch(
    `/apis/apps/v1/namespaces/${namespace}/deployments`,
    { allowWatchBookmarks: true },
    (phase, object: KubeObject) => {
      const name = object.metadata?.name ?? '';
      const deployment = { ...object, apiVersion: 'apps/v1', kind: 'Deployment' };
      if (phase !== 'BOOKMARK' && !readyAt.has(name) && readinessOf(deployment).ready) readyAt.set(name, Date.now());
    },
    () => undefined,
  );
  return { readyAt, stop: () => controller.abort() };
}

describe('kc install --wait', () => {
  test('ends within 1 s of the last Deployment becoming ready', async () => {
    const observed = await watchReadiness(ns.name);
    try {
      const kc = spawnKc(ns.name, ['install', 'fleet', chart.dir, '--timeout', '120s']);
      const exit = await kc.exited;
      const exitedAt = Date.now();
      expect(kc.output()).toContain('Install complete');
      expect(exit).toEqual({ code: 0, signal: null });
      expect([...observed.readyAt.keys()].sort()).toEqual(['fleet-web-0', 'fleet-web-1', 'fleet-web-2', 'fleet-web-3']);
      const lastReady = Math.max(...observed.readyAt.values());
      const latency = exitedAt - lastReady;
      process.stderr.write(`kc install --wait: exited ${latency} ms after the last Deployment became ready\n`);
      expect(latency).toBeGreaterThanOrEqual(0);
      expect(latency).toBeLessThan(1000);
    } finally {
      observed.stop();
    }
  });
});

describe('a wait that cannot end', () => {
  const stuck = ['--set', 'stuck=true', '--set', 'count=2'];

  test('--timeout ends it with exit 7, and no watch keeps kc running after it', async () => {
    const started = Date.now();
    const kc = spawnKc(ns.name, ['install', 'stuck-timeout', chart.dir, ...stuck, '--timeout', '3s']);
    const exit = await Promise.race([kc.exited, new Promise((r) => setTimeout(() => r('still running'), 30_000))]);
    expect({ exit, output: kc.output() }).toMatchObject({ exit: { code: 7, signal: null } });
    expect(kc.output()).toContain('timed out after 3s waiting for 2 of 2 objects');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await historyOf(ns.name, 'stuck-timeout')).map((h) => h.status)).toEqual(['failed']);
  });

  test('SIGINT ends it at once (exit 7, revision failed), its watches with it', async () => {
    const kc = spawnKc(ns.name, ['install', 'stuck-signal', chart.dir, ...stuck, '--timeout', '120s']);
    try {
      // Progress lines name the Deployments once the wait has begun.
      const waiting = /Deployment\/\S+\/stuck-signal-web-1/;
      for (let i = 0; i < 300 && !waiting.test(kc.output()); i++) await new Promise((r) => setTimeout(r, 100));
      expect(kc.output()).toMatch(waiting);
      const signalled = Date.now();
      kc.child.kill('SIGINT');
      const exit = await Promise.race([kc.exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
      expect({ exit, output: kc.output() }).toMatchObject({ exit: { code: 7, signal: null } });
      expect(Date.now() - signalled).toBeLessThan(5000);
      expect(kc.output()).toContain('while waiting for 2 of 2 objects');
      expect((await historyOf(ns.name, 'stuck-signal')).map((h) => h.status)).toEqual(['failed']);
    } finally {
      kc.child.kill('SIGKILL');
    }
  });
});

/**
 * A kubeconfig for a ServiceAccount of the namespace that may do all kc does except list and watch Deployments, as a
 * restricted CI user might: its token from the TokenRequest API, the cluster as the test kubeconfig's.
 */
async function noWatchKubeconfig(namespace: string, dir: string): Promise<string> {
  const kc = makeKubeConfig();
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  const name = 'kc-no-watch';
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  const rules = [
    { apiGroups: [''], resources: ['*'], verbs: ['*'] },
    { apiGroups: ['coordination.k8s.io', 'events.k8s.io'], resources: ['*'], verbs: ['*'] },
    { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['*'] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'create', 'patch', 'update', 'delete'] },
  ];
  await rbac.createNamespacedRole({ namespace, body: { metadata: { name }, rules } });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
  });
  const spec = { audiences: [], expirationSeconds: 600 };
  const request = await core.createNamespacedServiceAccountToken({ name, namespace, body: { spec } });
  const cluster = kc.getCurrentCluster()!;
  const file = path.join(dir, 'no-watch.kubeconfig');
  fs.writeFileSync(file, JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: cluster.server, 'certificate-authority': cluster.caFile } }],
    users: [{ name: 'u', user: { token: request.status?.token } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace } }],
    'current-context': 'x',
  }));
  return file;
}

describe('a user who may not watch', () => {
  test('kc install --wait reads the Deployments every second instead, and completes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-no-watch-'));
    try {
      const kubeconfig = await noWatchKubeconfig(ns.name, dir);
      expect(kubeconfigPath()).not.toBe(kubeconfig);
      // The user really may not list (nor so watch) Deployments.
      const restricted = new k8s.KubeConfig();
      restricted.loadFromFile(kubeconfig);
      const listing = restricted.makeApiClient(k8s.AppsV1Api).listNamespacedDeployment({ namespace: ns.name });
      await expect(listing).rejects.toMatchObject({ code: 403 });
      const args = ['install', 'nowatch', chart.dir, '--set', 'count=2', '--timeout', '60s'];
      const kc = spawnKc(ns.name, args, {}, kubeconfig);
      const exit = await Promise.race([kc.exited, new Promise((r) => setTimeout(() => r('still running'), 90_000))]);
      expect({ exit, output: kc.output() }).toMatchObject({ exit: { code: 0, signal: null } });
      expect(kc.output()).toContain('Install complete');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
