// A revision left pending by a killed kc is shown as interrupted once its lock expires (issue #16), on the local
// control plane: kc history, kc list and kc status say so with when and by whom, without waiting for the next
// operation; the next operation then marks it failed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { freshNamespace, waitFor, type TestNamespace } from './helpers/cluster.js';
import { historyOf, kcIn, spawnKc, waitForLease } from './helpers/kc.js';

let ns: TestNamespace;
beforeAll(async () => {
  ns = await freshNamespace('interrupted');
});
afterAll(async () => {
  await ns.cleanup();
});

describe('a kc killed mid-install', () => {
  test('leaves a revision that read commands show as interrupted once its 2 s lock expires', async () => {
    const release = 'killed';
    const proc = spawnKc(
      ns.name,
      ['install', release, 'charts/webapp', '--set', 'nodeSelector.kc-test/none=true', '--timeout', '5m'],
      {
        KC_LOCK_DURATION_SECONDS: '2',
      },
    );
    try {
      await waitForLease(ns.name, release);
      await waitFor(() => proc.output().includes('Deployment/'), {
        timeoutMs: 30_000,
        description: 'the wait to start',
      });
      proc.child.kill('SIGKILL');
      await proc.exited;
    } finally {
      proc.child.kill('SIGKILL');
    }
    await new Promise((r) => setTimeout(r, 2500));
    const history = await kcIn(ns.name, ['history', release]);
    expect(history.stdout).toMatch(/1\s+\S+\s+pending-install \(interrupted\)/);
    const json = (await historyOf(ns.name, release)) as unknown as {
      status: string;
      interrupted?: { since: string; by?: string };
    }[];
    expect(json[0]).toMatchObject({
      status: 'pending-install',
      interrupted: { since: expect.any(String), by: expect.stringContaining('(pid ') },
    });
    expect((await kcIn(ns.name, ['list'])).stdout).toContain('pending-install (interrupted)');
    const status = await kcIn(ns.name, ['status', release]);
    expect(status.stdout).toMatch(/STATUS: pending-install \(interrupted: run by .+ \(pid \d+\), last alive /);
    // The next operation takes over and marks it failed.
    const again = await kcIn(ns.name, ['upgrade', '--install', release, 'charts/webapp', '--no-wait']);
    expect(again.code).toBe(0);
    expect((await historyOf(ns.name, release)).map((h) => h.status)).toEqual(['failed', 'deployed']);
  }, 90_000);
});
