// While a wait goes on, progress says why an object is still unready once it has waited EXPLAIN_AFTER_MS, looked up
// again every EXPLAIN_EVERY_MS (so a changed reason shows), for the first MAX_EXPLAINED objects only; a wait
// without progress looks nothing up before its timeout.
import { describe, expect, test } from '@jest/globals';
import { refKey, refOf, type KubeObject } from '../../../src/kube/types.js';
import { EXPLAIN_AFTER_MS, EXPLAIN_EVERY_MS } from '../../../src/kube/wait-explain.js';
import { waitForReady, type ObjectState } from '../../../src/kube/wait.js';
import { MAX_EXPLAINED } from '../../../src/kube/why-unready.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import { FakeKube } from '../../helpers/fake-kube.js';

const web: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', generation: 1 },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } } },
  status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0 },
};
const claim = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'ns' },
  status: { phase: 'Pending' },
});
const pod = (message: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-abc', namespace: 'ns', labels: { app: 'web' } },
  status: {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }],
  },
});
const event: KubeObject = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'data.1', namespace: 'ns' },
  type: 'Warning',
  reason: 'ProvisioningFailed',
  message: 'storageclass.storage.k8s.io "fast" not found',
  lastTimestamp: '2026-12-06T00:00:00Z',
};

/** A FakeKube whose pod list says `before` until `at` ms of the clock, then `after`. */
function cluster(clock: { time: number }, objects: KubeObject[], before: string, after: string, at: number): FakeKube {
  const client = new FakeKube();
  for (const o of objects) client.objects.set(refKey(refOf(o)), o);
  const list = client.list.bind(client);
  client.list = async (apiVersion, kind, options) =>
    kind === 'Pod' ? [pod(clock.time < at ? before : after)] : list(apiVersion, kind, options);
  return client;
}

describe('progress says why an object is still unready', () => {
  test('after EXPLAIN_AFTER_MS, updated every EXPLAIN_EVERY_MS as the reason changes', async () => {
    const clock = fakeClock();
    const [before, after] = ['0/2 nodes are available', '0/3 nodes are available'];
    const client = cluster(clock, [web, claim('data'), event], before, after, 7000);
    const seen: { t: number; whys: (string | undefined)[] }[] = [];
    const onProgress = (states: ObjectState[]) => seen.push({ t: clock.time, whys: states.map((s) => s.why) });
    const waiting = waitForReady(client, [refOf(web), refOf(claim('data'))], { timeoutMs: 12_000, clock, onProgress });
    await expect(waiting).rejects.toMatchObject({ code: 'TIMEOUT' });

    expect(EXPLAIN_AFTER_MS).toBe(5000);
    expect(EXPLAIN_EVERY_MS).toBe(5000);
    const at = (t: number) => seen.filter((s) => s.t === t).at(-1)?.whys;
    for (const t of [0, 1000, 4000]) expect(at(t)).toEqual([undefined, undefined]);
    const claimWhy = 'ProvisioningFailed: storageclass.storage.k8s.io "fast" not found';
    expect(at(5000)).toEqual(['pod web-abc is Unschedulable: 0/2 nodes are available', claimWhy]);
    // Kept between lookups, then the new reason at the next one.
    expect(at(9000)).toEqual(['pod web-abc is Unschedulable: 0/2 nodes are available', claimWhy]);
    expect(at(10_000)).toEqual(['pod web-abc is Unschedulable: 0/3 nodes are available', claimWhy]);
    // Events are listed at 5 s and 10 s for progress, and once more for the timeout's own explanation.
    expect(client.calls.filter((c) => c === 'list Event')).toHaveLength(3);
  });

  test('an object that becomes ready loses its explanation', async () => {
    const clock = fakeClock();
    const client = cluster(clock, [web], 'no nodes', 'no nodes', 0);
    const seen: ObjectState[][] = [];
    const get = client.get.bind(client);
    client.get = async (ref) => {
      const live = await get(ref);
      if (clock.time < 6000 || !live) return live;
      const conditions = [{ type: 'Available', status: 'True' }];
      const status = { ...(live.status as object), readyReplicas: 1, availableReplicas: 1, conditions };
      return { ...live, status };
    };
    // No watch: the Deployment is read every interval.
    client.watchError = new Error('watch refused');
    const onProgress = (s: ObjectState[]) => seen.push(s);
    const states = await waitForReady(client, [refOf(web)], { timeoutMs: 60_000, clock, onProgress });
    expect(seen.some((s) => s[0].why === 'pod web-abc is Unschedulable: no nodes')).toBe(true);
    expect(seen.at(-1)?.[0]).toMatchObject({ readiness: { ready: true } });
    expect(seen.at(-1)?.[0].why).toBeUndefined();
    expect(states[0].why).toBeUndefined();
  });

  test(`only the first MAX_EXPLAINED objects are looked up; none without progress before the timeout`, async () => {
    const claims = Array.from({ length: MAX_EXPLAINED + 5 }, (_, i) => claim(`c${i}`));
    const clock = fakeClock();
    const client = cluster(clock, [...claims, event], '', '', 0);
    const seen: ObjectState[][] = [];
    const onProgress = (s: ObjectState[]) => seen.push(s);
    const waiting = waitForReady(client, claims.map(refOf), { timeoutMs: 6000, clock, onProgress });
    await expect(waiting).rejects.toMatchObject({ code: 'TIMEOUT' });
    // Lookups at 5 s for progress, then for the timeout's details: MAX_EXPLAINED each.
    expect(client.calls.filter((c) => c === 'list Event')).toHaveLength(2 * MAX_EXPLAINED);
    expect(seen.at(-1)?.filter((s) => s.why)).toHaveLength(MAX_EXPLAINED);

    const quiet = fakeClock();
    const alone = cluster(quiet, claims, '', '', 0);
    const unseen = waitForReady(alone, claims.map(refOf), { timeoutMs: 60_000, clock: quiet });
    await expect(unseen).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(alone.calls.filter((c) => c === 'list Event')).toHaveLength(MAX_EXPLAINED);
  });
});
