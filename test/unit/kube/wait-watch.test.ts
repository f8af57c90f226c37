// waitForReady with watches (FakeKube's): after one read of the unready objects, one watch per kind and namespace
// reports each change as it happens, so the wait ends as soon as the last object is ready, without polling; a watch
// that cannot run leaves its objects to polling; every watch ends with the wait.
import { describe, expect, test } from '@jest/globals';
import { KcError } from '../../../src/errors/index.js';
import { refOf, type KubeObject, type ObjectRef } from '../../../src/kube/types.js';
import { waitForDeletion, waitForReady, type ObjectState } from '../../../src/kube/wait.js';
import { FakeKube } from '../../helpers/fake-kube.js';

const deployment = (name: string, namespace: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, generation: 1 },
  spec: { replicas: 1, selector: { matchLabels: { app: name } } },
});
const rolledOut = [
  { type: 'Available', status: 'True' },
  { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
];
const available = (available: number) => ({
  status: {
    observedGeneration: 1,
    replicas: 1,
    updatedReplicas: 1,
    readyReplicas: available,
    availableReplicas: available,
    conditions: available ? rolledOut : [],
  },
});
const job = (name: string, namespace: string): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace },
  spec: { selector: { matchLabels: { job: name } } },
  status: { active: 1 },
});
const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'a' } };

/** A FakeKube holding the objects, every workload unready. */
async function cluster(...objects: KubeObject[]): Promise<FakeKube> {
  const client = new FakeKube();
  for (const o of objects) await client.apply(o, { fieldManager: 'test' });
  for (const o of objects) if (o.kind === 'Deployment') await client.mergePatch(refOf(o), available(0));
  client.calls.length = 0;
  return client;
}

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `cond` holds, polling every 2 ms for at most 2 s. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await later(2);
  if (!cond()) throw new Error('condition not met in 2 s');
}

async function caught(promise: Promise<unknown>): Promise<KcError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KcError) return error;
    throw error;
  }
  throw new Error('expected a KcError');
}

describe('waitForReady with watches', () => {
  test('one read, then a watch per kind and namespace: ready as soon as the last object is, no polling', async () => {
    const objects = [configMap, deployment('web', 'a'), deployment('api', 'a'), deployment('web', 'b'), job('j', 'a')];
    const client = await cluster(...objects);
    const progress: ObjectState[][] = [];
    const onProgress = (s: ObjectState[]) => progress.push(s);
    // An interval longer than the test: only watch news can end this wait in time.
    const waiting = waitForReady(client, objects.map(refOf), { timeoutMs: 30_000, intervalMs: 60_000, onProgress });
    await until(() => client.watching === 3 && progress.length === 2);
    await client.mergePatch(refOf(objects[1]), available(1));
    await client.mergePatch(refOf(objects[3]), available(1));
    const complete = { type: 'Complete', status: 'True' };
    await client.mergePatch(refOf(objects[4]), { status: { active: 0, succeeded: 1, conditions: [complete] } });
    await later(20);
    const unready = progress.at(-1)!.filter((s) => !s.readiness.ready);
    expect(unready.map((s) => `${s.ref.kind}/${s.ref.namespace}/${s.ref.name}`)).toEqual(['Deployment/a/api']);
    const lastReady = Date.now();
    await client.mergePatch(refOf(objects[2]), available(1));
    const states = await waiting;
    const latency = Date.now() - lastReady;

    expect(states.every((s) => s.readiness.ready)).toBe(true);
    expect(latency).toBeLessThan(1000); // in-process it is a few ms; only the 60 s interval could make it long
    expect(client.calls.filter((c) => c.startsWith('get'))).toEqual([
      'get ConfigMap/settings',
      'get Deployment/web',
      'get Deployment/api',
      'get Deployment/web',
      'get Job/j',
    ]);
    expect(client.watches).toEqual([
      'watch Deployment a',
      'watch Deployment b metadata.name=web',
      'watch Job a metadata.name=j',
    ]);
    expect(client.watching).toBe(0);
  });

  test('a burst of watch news lists the pods of unready workloads once an interval, not once a change', async () => {
    const base = deployment('web', 'a');
    const revision = { 'deployment.kubernetes.io/revision': '1' }; // pods are found through the newest ReplicaSet
    const web = { ...base, metadata: { ...base.metadata, uid: 'u-web', annotations: revision } };
    const client = await cluster(web);
    let progress = 0;
    const waiting = waitForReady(client, [refOf(web)], {
      timeoutMs: 30_000,
      intervalMs: 60_000,
      onProgress: () => progress++,
    });
    await until(() => client.watching === 1 && progress >= 1);
    const podLists = () => client.calls.filter((c) => c === 'list Pod' || c === 'list ReplicaSet').length;
    const before = podLists();
    const seen = progress;
    for (let i = 0; i < 10; i++) {
      await client.mergePatch(refOf(web), { metadata: { annotations: { tick: String(i) } } });
      await later(5);
    }
    await until(() => progress >= seen + 5); // the news was taken
    expect(before).toBeGreaterThan(0); // the first read looked at the pods
    expect(podLists()).toBe(before); // within the first interval: no more pod listings for any of the 10 changes
    await client.mergePatch(refOf(web), available(1));
    await waiting;
  });

  test('a refused watch leaves its objects to polling at the interval', async () => {
    const web = deployment('web', 'a');
    const client = await cluster(web);
    client.watchError = new KcError('FORBIDDEN', 'watch Deployment: deployments.apps is forbidden');
    const waiting = waitForReady(client, [refOf(web)], { timeoutMs: 5000, intervalMs: 10 });
    await until(() => client.calls.filter((c) => c.startsWith('get')).length >= 3);
    await client.mergePatch(refOf(web), available(1));
    await expect(waiting).resolves.toMatchObject([{ readiness: { ready: true } }]);
    expect(client.watches).toEqual(['watch Deployment a metadata.name=web']);
  });

  test('a terminal failure seen by a watch is NOT_READY at once', async () => {
    const migrate = job('migrate', 'a');
    const client = await cluster(migrate);
    const waiting = caught(waitForReady(client, [refOf(migrate)], { timeoutMs: 30_000, intervalMs: 60_000 }));
    await until(() => client.watching === 1);
    const message = 'Job has reached the specified backoff limit';
    const failed = { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message };
    await client.mergePatch(refOf(migrate), { status: { active: 0, failed: 1, conditions: [failed] } });
    const error = await waiting;
    expect(error.code).toBe('NOT_READY');
    expect(error.details?.[0]).toMatch(/^Job\/a\/migrate: BackoffLimitExceeded: Job has reached the specified/);
    expect(client.watching).toBe(0);
  });

  test('an object deleted while watched is "not found" at the timeout, which ends every watch', async () => {
    const web = deployment('web', 'a');
    const api = deployment('api', 'a');
    const client = await cluster(web, api);
    const short = { timeoutMs: 300, intervalMs: 60_000 };
    const waiting = caught(waitForReady(client, [refOf(web), refOf(api)], short));
    await until(() => client.watching === 1);
    await client.delete(refOf(web));
    const error = await waiting;
    expect(error.code).toBe('TIMEOUT');
    const apiUnavailable = expect.stringMatching(/^Deployment\/a\/api: 0\/1 replicas available/);
    expect(error.details).toEqual(['Deployment/a/web: not found', apiUnavailable]);
    // The first read, and one last read at the deadline: a timeout never rests on a watch alone.
    expect(client.calls.filter((c) => c.startsWith('get'))).toEqual([
      'get Deployment/web',
      'get Deployment/api',
      'get Deployment/web',
      'get Deployment/api',
    ]);
    expect(client.watching).toBe(0);
  });

  test('the abort signal ends the wait (INTERRUPTED) and every watch', async () => {
    const web = deployment('web', 'a');
    const client = await cluster(web);
    const controller = new AbortController();
    const { signal } = controller;
    const waiting = caught(waitForReady(client, [refOf(web)], { timeoutMs: 30_000, intervalMs: 60_000, signal }));
    await until(() => client.watching === 1);
    controller.abort(new KcError('INTERRUPTED', 'interrupted by SIGINT'));
    const error = await waiting;
    expect(error.code).toBe('INTERRUPTED');
    expect(error.message).toBe('interrupted by SIGINT while waiting for 1 of 1 objects');
    expect(client.watching).toBe(0);
  });

  test('news that never stops does not hold the wait past its deadline', async () => {
    const web = deployment('web', 'a');
    const client = await cluster(web);
    let n = 0;
    // Every progress report changes the object again: there is news each time the wait looks.
    const onProgress = () => void client.mergePatch(refOf(web), { metadata: { annotations: { n: String(++n) } } });
    const started = Date.now();
    const error = await caught(waitForReady(client, [refOf(web)], { timeoutMs: 200, intervalMs: 60_000, onProgress }));
    expect(error.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(n).toBeGreaterThan(5);
  });

  test('a clock that never advances still ends the wait, after a bounded number of rounds', async () => {
    const web = deployment('web', 'a');
    const client = await cluster(web);
    const frozenClock = { now: () => new Date(0), sleep: async () => undefined };
    const options = { timeoutMs: 5000, intervalMs: 1000, clock: frozenClock };
    const error = await caught(waitForReady(client, [refOf(web)], options));
    expect(error.code).toBe('TIMEOUT');
    expect(client.watching).toBe(0);
  });

  test('objects of a namespaced kind without a namespace are polled, not watched in all namespaces', async () => {
    const client = await cluster(deployment('web', 'a'));
    const ref: ObjectRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
    await caught(waitForReady(client, [ref], { timeoutMs: 50, intervalMs: 10 }));
    expect(client.watches).toEqual([]);
  });
});

describe('waitForDeletion with watches', () => {
  const cm = (name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'a' },
  });

  test('done as soon as a watch sees the last object deleted, without polling', async () => {
    const client = await cluster(cm('x'), cm('y'));
    const long = { timeoutMs: 30_000, intervalMs: 60_000 };
    const waiting = waitForDeletion(client, [refOf(cm('x')), refOf(cm('y'))], long);
    await until(() => client.watching === 1);
    await client.delete(refOf(cm('x')));
    await client.delete(refOf(cm('y')));
    await expect(waiting).resolves.toBeUndefined();
    expect(client.calls.filter((c) => c.startsWith('get'))).toEqual(['get ConfigMap/x', 'get ConfigMap/y']);
    expect(client.watches).toEqual(['watch ConfigMap a']);
    expect(client.watching).toBe(0);
  });

  test('an object still there at the timeout is named with its finalizers, as the watch last saw it', async () => {
    const client = await cluster(cm('x'));
    const waiting = caught(waitForDeletion(client, [refOf(cm('x'))], { timeoutMs: 300, intervalMs: 60_000 }));
    await until(() => client.watching === 1);
    const held = { deletionTimestamp: '2026-12-06T00:00:00Z', finalizers: ['example.com/hold'] };
    await client.mergePatch(refOf(cm('x')), { metadata: held });
    const error = await waiting;
    expect(error.code).toBe('TIMEOUT');
    expect(error.details).toEqual([
      'ConfigMap/a/x: being deleted since 2026-12-06T00:00:00Z, finalizers example.com/hold',
    ]);
    expect(client.watching).toBe(0);
  });
});
