#!/usr/bin/env node
// Readiness-wait latency (issue #17, "watch, don't poll"; runs alone: `node bench/wait-latency.mjs`). On the local
// control plane (test/cluster, 127.0.0.1; `npm run cluster:up` starts it), `kc install` of a chart of Deployments
// (kwok runs their pods), each run in a fresh namespace. A watch of the bench's own sees every status update of the
// Deployments; the latency of a run is from the last update seen before kc exited (the one that made the last
// Deployment ready: none changes after that) to kc's exit. Target: a median under 250 ms.
//
// Knobs (environment): BENCH_WAIT_RUNS (7), BENCH_WAIT_DEPLOYMENTS (4), BENCH_TIMEOUT_S (120),
// KC_BIN (bin/kc.cjs: point it at another build to compare), KC_TEST_KUBECONFIG (.kc/cluster/kubeconfig).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import { childEnv, intEnv, median } from './lib/measure.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KC = process.env.KC_BIN || path.join(ROOT, 'bin/kc.cjs');
const KUBECONFIG = process.env.KC_TEST_KUBECONFIG || path.join(ROOT, '.kc/cluster/kubeconfig');
const RUNS = intEnv('BENCH_WAIT_RUNS', 7);
const DEPLOYMENTS = intEnv('BENCH_WAIT_DEPLOYMENTS', 4);
const TIMEOUT_MS = intEnv('BENCH_TIMEOUT_S', 120) * 1000;
const TARGET_MS = 250;

const CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

const schema = z.object({ count: z.number().default(4), replicas: z.number().default(2) });

export class Fleet extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'fleet', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Fleet.meta, props);
    for (let i = 0; i < this.values.count; i++) {
      const labels = { app: 'web-' + i };
      new k8s.KubeDeployment(this, 'web-' + i, {
        metadata: { name: 'web-' + i },
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

const log = (msg) => process.stderr.write(`${msg}\n`);

/** Runs kc to its exit (killed after TIMEOUT_MS); resolves with its exit code, output and exit time. */
function runKc(args) {
  return new Promise((resolve) => {
    const env = childEnv({ NO_COLOR: '1' });
    const child = spawn(process.execPath, [KC, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('exit', (code) => {
      const exitedAt = Date.now();
      clearTimeout(timer);
      resolve({ code, output, exitedAt });
    });
  });
}

/** One install in a fresh namespace: the latency from the last Deployment update seen to kc's exit, in ms. */
async function once(kc, core, scratch) {
  const namespace = `bench-wait-${Date.now().toString(36)}`;
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  const updates = [];
  const watch = await new k8s.Watch(kc).watch(
    `/apis/apps/v1/namespaces/${namespace}/deployments`,
    {},
    (phase) => phase !== 'BOOKMARK' && updates.push(Date.now()),
    () => undefined,
  );
  try {
    // The namespace's default ServiceAccount comes a moment after the namespace; pods need it.
    for (let i = 0; i < 100; i++) {
      const accounts = await core.listNamespacedServiceAccount({ namespace });
      if (accounts.items.some((a) => a.metadata?.name === 'default')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const where = ['-n', namespace, '--kubeconfig', KUBECONFIG];
    const count = ['--set', `count=${DEPLOYMENTS}`];
    const r = await runKc(['install', 'fleet', scratch, ...count, ...where, '--timeout', '120s']);
    if (r.code !== 0) throw new Error(`kc install exited ${r.code}:\n${r.output}`);
    const last = Math.max(...updates.filter((t) => t <= r.exitedAt));
    return r.exitedAt - last;
  } finally {
    watch.abort();
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  }
}

async function main() {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(KUBECONFIG);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-bench-wait-'));
  fs.writeFileSync(path.join(scratch, 'index.ts'), CHART);
  log(`kc install --wait of ${DEPLOYMENTS} Deployments, ${RUNS} runs (+1 warm-up), kc: ${KC}`);
  const latencies = [];
  try {
    for (let i = 0; i <= RUNS; i++) {
      const ms = await once(kc, core, scratch);
      log(`  ${i === 0 ? 'warm-up' : `run ${i}/${RUNS}`}: ${ms} ms from the last Deployment update to kc's exit`);
      if (i > 0) latencies.push(ms);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const mid = median(latencies);
  const met = mid < TARGET_MS ? 'yes' : 'MISSED';
  const max = Math.max(...latencies);
  process.stdout.write(`wait latency: median ${mid} ms, max ${max} ms (target median < ${TARGET_MS} ms: ${met})\n`);
}

await main();
