// A signal at any moment never leaves a lie behind (issue #16), on the local control plane: SIGINT at each stage of
// an install (starting, locking, applying, waiting for a lock held by another) ends kc promptly; afterwards no
// revision is pending, no lock is left, and what the record says matches the cluster; the same install then works.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { historyOf, kcIn, spawnKc } from './helpers/kc.js';
import { CONFIG_CHART, tempProject, type TempProject } from '../helpers/temp-project.js';

const MAPS = 300;
let ns: TestNamespace;
let project: TempProject;
beforeAll(async () => {
  ns = await freshNamespace('signals');
  project = tempProject({ 'maps/index.ts': CONFIG_CHART });
});
afterAll(async () => {
  project.remove();
  await ns.cleanup();
});

const sets = Array.from({ length: MAPS }, (_, i) => ['--set', `maps.m${i}.v=${i}`]).flat();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const coord = () => makeKubeConfig().makeApiClient(k8s.CoordinationV1Api);

async function mapsOf(release: string): Promise<number> {
  const list = await makeKubeConfig().makeApiClient(k8s.CoreV1Api).listNamespacedConfigMap({ namespace: ns.name });
  return list.items.filter((c) => c.metadata!.name!.startsWith(`${release}-m`)).length;
}

async function leaseGone(release: string): Promise<boolean> {
  return coord()
    .readNamespacedLease({ name: `kc-lock.${release}`, namespace: ns.name })
    .then(
      () => false,
      () => true,
    );
}

describe('a signal at any moment of an install', () => {
  test.each([50, 200, 350, 500, 700])(
    'SIGINT %i ms after start',
    async (delay) => {
      const release = `sig-${delay}`;
      const proc = spawnKc(ns.name, ['install', release, `${project.dir}/maps`, ...sets, '--no-wait']);
      try {
        await sleep(delay);
        proc.child.kill('SIGINT');
        const exit = await Promise.race([proc.exited, sleep(20_000).then(() => ({ code: -1, signal: null }))]);
        const history = await historyOf(ns.name, release).catch(() => []);
        expect(history.filter((h) => h.status.startsWith('pending'))).toEqual([]);
        expect(await leaseGone(release)).toBe(true);
        if (exit.code === null) {
          // Killed by the default action before kc set up its handler: it had not started anything.
          expect(history).toEqual([]);
        } else if (exit.code === 0) {
          // The signal came after the last write: all done, and said so.
          expect(history.map((h) => h.status)).toEqual(['deployed']);
          expect(await mapsOf(release)).toBe(MAPS);
        } else {
          expect(exit.code).toBe(7);
          expect(proc.output()).toContain('[INTERRUPTED]');
          // Either nothing reached the cluster (no release at all) or the revision says it failed.
          if (history.length === 0) expect(await mapsOf(release)).toBe(0);
          else expect(history.map((h) => h.status)).toEqual(['failed']);
        }
      } finally {
        proc.child.kill('SIGKILL');
      }
      // Whatever was left, the same install now succeeds (never RELEASE_EXISTS for a release that never deployed).
      const deployed = (await historyOf(ns.name, release).catch(() => [])).some((h) => h.status === 'deployed');
      const again = await kcIn(ns.name, [
        deployed ? 'upgrade' : 'install',
        release,
        `${project.dir}/maps`,
        ...sets,
        '--no-wait',
      ]);
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      expect(await mapsOf(release)).toBe(MAPS);
    },
    90_000,
  );

  test('SIGINT while waiting for a lock another process holds: exit 7 at once, their lock untouched, nothing written', async () => {
    const release = 'sig-waiting';
    const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'); // MicroTime
    await coord().createNamespacedLease({
      namespace: ns.name,
      body: {
        metadata: { name: `kc-lock.${release}` },
        spec: {
          holderIdentity: '{"user":"other","host":"h","pid":1,"since":"x"}',
          leaseDurationSeconds: 600,
          renewTime: now as never,
          acquireTime: now as never,
        },
      },
    });
    const proc = spawnKc(ns.name, [
      'install',
      release,
      `${project.dir}/maps`,
      '--set',
      'maps.a.v=1',
      '--no-wait',
      '--wait-for-lock',
      '5m',
    ]);
    try {
      await sleep(2000);
      const signalled = Date.now();
      proc.child.kill('SIGINT');
      const exit = await Promise.race([proc.exited, sleep(20_000).then(() => ({ code: -1, signal: null }))]);
      expect(Date.now() - signalled).toBeLessThan(3000);
      expect(exit.code).toBe(7);
    } finally {
      proc.child.kill('SIGKILL');
    }
    const lease = await coord().readNamespacedLease({ name: `kc-lock.${release}`, namespace: ns.name });
    expect(lease.spec?.holderIdentity).toContain('"other"');
    await expect(historyOf(ns.name, release)).rejects.toThrow(/RELEASE_NOT_FOUND/);
  }, 60_000);
});
