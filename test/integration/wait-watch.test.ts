// kc install --wait watches (#17, "watch, don't poll"): an install of a chart of four Deployments on the local
// control plane (kwok runs their pods) ends soon after the last of them becomes ready. A watch of this test's own
// sees each Deployment's status updates; the latency measured is from the update that made the last one ready (as
// this watch saw it) to the exit of the kc process. The 250 ms target is the bench's (bench/wait-latency.mjs); this
// test only bounds it at 1 s, which one-second polling could miss.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { readinessOf } from '../../src/kube/readiness.js';
import type { KubeObject } from '../../src/kube/types.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';
import { freshNamespace, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { spawnKc } from './helpers/kc.js';

const FLEET_CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

const schema = z.object({ count: z.number().default(4), replicas: z.number().default(2) });

export class Fleet extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'fleet', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Fleet.meta, props);
    for (let i = 0; i < this.values.count; i++) {
      const labels = { app: \`web-\${i}\` };
      new k8s.KubeDeployment(this, \`web-\${i}\`, {
        metadata: { name: \`web-\${i}\` },
        spec: {
          replicas: this.values.replicas,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'example.invalid/web:1.0' }] } },
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
      expect([...observed.readyAt.keys()].sort()).toEqual(['web-0', 'web-1', 'web-2', 'web-3']);
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
