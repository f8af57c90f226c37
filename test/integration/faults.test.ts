// Faults never turn into success (issue #16, transport class), against the real control plane: kc talks to it through
// a TLS-terminating HTTP/2 proxy on 127.0.0.1 that lets the server act on requests but resets or truncates the
// answers. An install either succeeds with every object really in the cluster, or fails with a non-zero exit and a
// failed revision; never exit 0 with objects missing.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { historyOf, spawnKc } from './helpers/kc.js';
import { startH2FaultProxy, type ProxyFault } from '../helpers/h2-fault-proxy.js';
import { CONFIG_CHART, tempProject, type TempProject } from '../helpers/temp-project.js';
import { makeTestCerts, type TestCerts } from '../helpers/test-certs.js';
import { runCli } from '../helpers/run-cli.js';

const MAPS = 60;
let ns: TestNamespace;
let certs: TestCerts;
let project: TempProject;
beforeAll(async () => {
  ns = await freshNamespace('faults');
  certs = makeTestCerts();
  project = tempProject({ 'maps/index.ts': CONFIG_CHART });
});
afterAll(async () => {
  project.remove();
  await ns.cleanup();
});

const sets = Array.from({ length: MAPS }, (_, i) => ['--set', `maps.m${i}.v=${i}`]).flat();
const isConfigMapApply = (method: string, path: string) => method === 'PATCH' && path.includes('/configmaps/');

/** ConfigMaps of a release that really are in the cluster (read around the proxy). */
async function mapsInCluster(release: string): Promise<string[]> {
  const core = makeKubeConfig().makeApiClient(k8s.CoreV1Api);
  const list = await core.listNamespacedConfigMap({ namespace: ns.name });
  return list.items.map((c) => c.metadata!.name!).filter((n) => n.startsWith(`${release}-m`)).sort();
}

async function installThroughProxy(release: string, decide: (method: string, path: string) => ProxyFault) {
  const proxy = await startH2FaultProxy(makeKubeConfig(), certs, decide);
  try {
    const args = ['install', release, `${project.dir}/maps`, ...sets, '--no-wait'];
    const run = await runCli([...args, '--kubeconfig', proxy.kubeconfig, '-n', ns.name]);
    return { run, log: [...proxy.log] };
  } finally {
    await proxy.close();
  }
}

describe('an install through a proxy that loses answers', () => {
  test('retries the lost applies: exit 0 with every object in the cluster', async () => {
    const count = new Map<string, number>();
    // Every 5th ConfigMap's first two answers are lost (reset, then truncated); the server applied them all.
    const { run, log } = await installThroughProxy('lossy', (method, path) => {
      if (!isConfigMapApply(method, path)) return 'relay';
      const key = path.split('?')[0];
      const n = count.get(key) ?? 0;
      count.set(key, n + 1);
      const i = Number(/-m(\d+)$/.exec(key)?.[1] ?? 1);
      return i % 5 === 0 && n < 2 ? (n === 0 ? 'reset' : 'truncate') : 'relay';
    });
    expect(log.length).toBeGreaterThanOrEqual((MAPS / 5) * 2);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await mapsInCluster('lossy')).toHaveLength(MAPS);
    expect((await historyOf(ns.name, 'lossy')).map((h) => h.status)).toEqual(['deployed']);
  }, 120_000);

  test('an apply whose answer is always lost fails the install (exit 5, CONNECTION_LOST) with a failed revision', async () => {
    const { run, log } = await installThroughProxy('broken', (method, path) =>
      isConfigMapApply(method, path) && path.split('?')[0].endsWith('/broken-m7') ? 'reset' : 'relay');
    expect(log.filter((l) => l.endsWith('/broken-m7 reset'))).toHaveLength(3); // bounded: three attempts
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('[CONNECTION_LOST]');
    expect(run.stderr).not.toMatch(/Install complete/);
    expect((await historyOf(ns.name, 'broken')).map((h) => h.status)).toEqual(['failed']);
  }, 120_000);
});

/** Runs `decide`'s proxy for one install; the test inspects the proxy's log and the cluster. */
async function withProxy<T>(decide: (method: string, path: string) => ProxyFault, use: (kubeconfig: string, log: string[]) => Promise<T>) {
  const proxy = await startH2FaultProxy(makeKubeConfig(), certs, decide);
  try {
    return await use(proxy.kubeconfig, proxy.log);
  } finally {
    await proxy.close();
  }
}

describe('an install through a proxy that answers for the server', () => {
  test('429 (throttled) answers are retried: exit 0 with every object in the cluster', async () => {
    const seen = new Set<string>();
    const { run, log } = await installThroughProxy('throttled', (method, path) => {
      const key = path.split('?')[0];
      if (!isConfigMapApply(method, path) || !/-m\d*0$/.test(key) || seen.has(key)) return 'relay';
      seen.add(key);
      return '429';
    });
    expect(log).toHaveLength(MAPS / 10);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await mapsInCluster('throttled')).toHaveLength(MAPS);
  }, 120_000);

  test('a 500 to one apply fails the install (exit 5) with a failed revision, never exit 0', async () => {
    const { run } = await installThroughProxy('erring', (method, path) =>
      isConfigMapApply(method, path) && path.split('?')[0].endsWith('/erring-m7') ? '500' : 'relay');
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('etcd unavailable');
    expect((await historyOf(ns.name, 'erring')).map((h) => h.status)).toEqual(['failed']);
    expect(await mapsInCluster('erring')).not.toContain('erring-m7');
  }, 120_000);

  test.each([['html' as const], ['garbage' as const]])('a %s 200 to the ownership read is RESPONSE_INVALID (exit 5) and leaves no release', async (fault) => {
    const release = `read-${fault}`;
    const { run } = await installThroughProxy(release, (method, path) =>
      method === 'GET' && path.split('?')[0].endsWith('/configmaps') ? fault : 'relay');
    expect(run.stderr).toContain('[RESPONSE_INVALID]');
    expect(run.code).toBe(5);
    await expect(historyOf(ns.name, release)).rejects.toThrow(/RELEASE_NOT_FOUND/);
    expect(await mapsInCluster(release)).toEqual([]);
  }, 120_000);

  test('a server that stalls mid-apply: SIGINT ends kc within seconds, the revision failed, the lock given back', async () => {
    const release = 'stalled';
    await withProxy(
      (method, path) => (isConfigMapApply(method, path) && path.split('?')[0].endsWith('/stalled-m30') ? 'stall' : 'relay'),
      async (kubeconfig, log) => {
        const proc = spawnKc(ns.name, ['install', release, `${project.dir}/maps`, ...sets, '--no-wait'], {}, kubeconfig);
        try {
          const until = Date.now() + 60_000;
          while (!log.some((l) => l.endsWith('stall')) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
          expect(log.some((l) => l.endsWith('/stalled-m30 stall'))).toBe(true);
          const signalled = Date.now();
          proc.child.kill('SIGINT');
          const { code } = await proc.exited;
          expect(Date.now() - signalled).toBeLessThan(8000);
          expect(proc.output()).toContain('[INTERRUPTED]: interrupted by SIGINT');
          expect(code).toBe(7);
        } finally {
          proc.child.kill('SIGKILL');
        }
      },
    );
    expect((await historyOf(ns.name, release)).map((h) => h.status)).toEqual(['failed']);
    const coord = makeKubeConfig().makeApiClient(k8s.CoordinationV1Api);
    await expect(coord.readNamespacedLease({ name: `kc-lock.${release}`, namespace: ns.name })).rejects.toThrow();
  }, 120_000);
});

