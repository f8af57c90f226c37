import { describe, expect, test } from '@jest/globals';
import { KcError } from '../../../src/errors/index.js';
import { formatDuration, waitForDeletion, waitForReady, type ObjectState } from '../../../src/kube/wait.js';
import { selectorOf, whyUnready } from '../../../src/kube/why-unready.js';
import { refKey, refOf, type KubeClient, type KubeObject, type ListOptions, type ObjectRef } from '../../../src/kube/types.js';
import { fakeClock } from '../../helpers/fake-clock.js';

/** An in-memory client: each get returns the next version of an object, then keeps returning the last. */
class FakeClient {
  readonly gets: string[] = [];
  readonly lists: ListOptions[] = [];
  private readonly versions = new Map<string, KubeObject[]>();

  constructor(
    objects: (KubeObject | KubeObject[])[],
    private readonly pods: KubeObject[] = [],
    private readonly events: KubeObject[] = [],
  ) {
    for (const o of objects) {
      const list = Array.isArray(o) ? o : [o];
      this.versions.set(refKey(refOf(list[0])), list);
    }
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    this.gets.push(`${ref.kind}/${ref.name}`);
    const list = this.versions.get(refKey(ref));
    if (!list) return undefined;
    return list.length > 1 ? list.shift() : list[0];
  }

  async list(apiVersion: string, kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    this.lists.push(options);
    if (apiVersion === 'v1' && kind === 'Event') {
      // The API server's field selector for events: every key=value must match the event's field.
      const wanted = (options.fieldSelector ?? '').split(',').map((kv) => kv.split('='));
      const field = (e: KubeObject, key: string) => key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], e);
      return this.events.filter((e) => e.metadata?.namespace === options.namespace && wanted.every(([k, v]) => field(e, k) === v));
    }
    if (apiVersion !== 'v1' || kind !== 'Pod') throw new Error('unexpected list');
    const wanted = (options.labelSelector ?? '').split(',').map((kv) => kv.split('='));
    return this.pods.filter((p) => {
      const labels = (p.metadata?.labels ?? {}) as Record<string, string>;
      return p.metadata?.namespace === options.namespace && wanted.every(([k, v]) => labels[k] === v);
    });
  }

}

/** The fake as a KubeClient: every method besides get and list throws, so the interface may grow freely. */
function fakeClient(objects: (KubeObject | KubeObject[])[], pods: KubeObject[] = [], events: KubeObject[] = []): FakeClient & KubeClient {
  return new Proxy(new FakeClient(objects, pods, events), {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol' || prop === 'then' || prop in target) return Reflect.get(target, prop, receiver);
      return () => {
        throw new Error(`${prop} is not used by wait`);
      };
    },
  }) as FakeClient & KubeClient;
}


const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'ns', generation: 1, ...extra });

function deployment(name: string, available: number, replicas = 1): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name),
    spec: { replicas, selector: { matchLabels: { app: name, tier: 'web' } } },
    status: {
      observedGeneration: 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: available,
      availableReplicas: available,
      // What the Deployment controller writes once the rollout is done (kstatus requires it).
      ...(available >= replicas ? { conditions: [{ type: 'Available', status: 'True' }] } : {}),
    },
  };
}

const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('settings'), data: {} };
const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec: { type: 'ClusterIP' } };
const certificate: KubeObject = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: meta('tls'),
  status: { conditions: [{ type: 'Ready', status: 'False', reason: 'DoesNotExist', message: 'Issuer "letsencrypt" not found' }] },
};
const unschedulable =
  "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available.";
const pendingPod = (name: string, labels: Record<string, string>, conditions: unknown[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', labels },
  status: { phase: 'Pending', conditions },
});

const pendingClaim = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: meta(name, { uid: `uid-${name}` }),
  status: { phase: 'Pending' },
});
const warning = (id: string, kind: string, name: string, reason: string, message: string, lastTimestamp: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: id, namespace: 'ns' },
  involvedObject: { kind, name, namespace: 'ns', uid: `uid-${name}` },
  type: 'Warning',
  reason,
  message,
  lastTimestamp,
});

const refs = (...objects: KubeObject[]): ObjectRef[] => objects.map(refOf);

async function caught(promise: Promise<unknown>): Promise<KcError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KcError) return error;
    throw error;
  }
  throw new Error('expected a KcError');
}

describe('waitForReady', () => {
  test('returns once every object is ready, re-reading only unready ones', async () => {
    const client = fakeClient([configMap, [deployment('web', 0), deployment('web', 0), deployment('web', 1)]]);
    const clock = fakeClock();
    const progress: ObjectState[][] = [];
    const states = await waitForReady(client, refs(configMap, deployment('web', 0)), {
      timeoutMs: 60_000,
      clock,
      onProgress: (s) => progress.push(s),
    });
    expect(states.map((s) => [s.ref.kind, s.readiness.ready, s.readiness.reason])).toEqual([
      ['ConfigMap', true, 'Ready'],
      ['Deployment', true, 'Available'],
    ]);
    expect(client.gets).toEqual(['ConfigMap/settings', 'Deployment/web', 'Deployment/web', 'Deployment/web']);
    expect(progress.map((p) => p[1].readiness.reason)).toEqual(['0/1 replicas available', '0/1 replicas available', 'Available']);
    expect(clock.sleeps).toEqual([1000, 1000]);
  });

  test('returns at once for no objects', async () => {
    const client = fakeClient([]);
    await expect(waitForReady(client, [], { timeoutMs: 1000, clock: fakeClock() })).resolves.toEqual([]);
    expect(client.gets).toEqual([]);
  });

  test('timeout lists every unready object with its reason and the pod that explains it', async () => {
    const web = deployment('web', 0);
    const pods = [
      pendingPod('web-zzz', { app: 'web', tier: 'web' }),
      pendingPod('web-abc', { app: 'web', tier: 'web' }, [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: unschedulable }]),
      pendingPod('other-1', { app: 'other', tier: 'web' }),
    ];
    const client = fakeClient([configMap, service, web, certificate], pods);
    const clock = fakeClock();
    const error = await caught(waitForReady(client, refs(configMap, web, service, certificate), { timeoutMs: 300_000, clock }));

    expect(error.code).toBe('TIMEOUT');
    expect(error.exitCode).toBe(7);
    expect(error.message).toBe('timed out after 5m0s waiting for 2 of 4 objects');
    expect(error.details).toEqual([
      `Deployment/ns/web: 0/1 replicas available — pod web-abc is Unschedulable: ${unschedulable}`,
      'Certificate/ns/tls: DoesNotExist: Issuer "letsencrypt" not found',
    ]);
    expect(error.hint).toBe('raise --timeout, or fix the objects listed; the revision is marked failed');
    expect(client.lists).toEqual([{ namespace: 'ns', labelSelector: 'app=web,tier=web' }]);
    // ceil(300000/1000)+1 = 301 rounds for each unready object, one read for each ready one.
    expect(client.gets).toHaveLength(2 + 2 * 301);
    expect(clock.time).toBe(300_000);
  });

  test('the last round lands exactly on the deadline when the interval does not divide the timeout', async () => {
    const web = deployment('web', 0);
    const client = fakeClient([web]);
    const clock = fakeClock();
    const error = await caught(waitForReady(client, refs(web), { timeoutMs: 2500, intervalMs: 1000, clock }));
    expect(error.message).toBe('timed out after 2.5s waiting for 1 of 1 objects');
    expect(client.gets).toHaveLength(4);
    expect(clock.sleeps).toEqual([1000, 1000, 500]);
    expect(error.details).toEqual(['Deployment/ns/web: 0/1 replicas available — no pods match app=web,tier=web']);
  });

  test('a zero timeout reads once', async () => {
    const web = deployment('web', 0);
    const client = fakeClient([web]);
    const error = await caught(waitForReady(client, refs(web), { timeoutMs: 0, clock: fakeClock() }));
    expect(error.code).toBe('TIMEOUT');
    expect(client.gets).toHaveLength(1);
  });

  test('a terminal failure stops early and explains it from the pods', async () => {
    const running: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('migrate'),
      spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } } },
      status: { active: 1 },
    };
    const failed: KubeObject = {
      ...running,
      status: { failed: 1, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] },
    };
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'migrate-x1', namespace: 'ns', labels: { 'batch.kubernetes.io/controller-uid': 'u1' } },
      status: { phase: 'Failed', containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 1, reason: 'Error' } } }] },
    };
    const web = deployment('web', 0);
    const client = fakeClient([web, [running, failed]], [pod]);
    const error = await caught(waitForReady(client, refs(web, running), { timeoutMs: 600_000, clock: fakeClock() }));

    expect(error.code).toBe('NOT_READY');
    expect(error.message).toBe('1 object failed and will not become ready');
    expect(error.details).toEqual([
      'Job/ns/migrate: BackoffLimitExceeded: Job has reached the specified backoff limit — pod migrate-x1 is Failed: container main exited with code 1 (Error)',
    ]);
    expect(client.gets).toEqual(['Deployment/web', 'Job/migrate', 'Deployment/web', 'Job/migrate']);
  });

  test('an abort between rounds throws INTERRUPTED', async () => {
    const web = deployment('web', 0);
    const client = fakeClient([web]);
    const controller = new AbortController();
    let rounds = 0;
    const error = await caught(
      waitForReady(client, refs(web), {
        timeoutMs: 600_000,
        clock: fakeClock(),
        signal: controller.signal,
        onProgress: () => {
          if (++rounds === 2) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('INTERRUPTED');
    expect(error.message).toBe('interrupted while waiting for 1 of 1 objects');
    expect(error.details).toEqual(['Deployment/ns/web: 0/1 replicas available']);
    expect(client.gets).toHaveLength(2);
    expect(client.lists).toHaveLength(0);
  });

  test('an abort whose reason is an INTERRUPTED error (the CLI\'s, naming the signal) keeps that message', async () => {
    const controller = new AbortController();
    controller.abort(new KcError('INTERRUPTED', 'interrupted by SIGTERM'));
    const error = await caught(waitForReady(fakeClient([configMap]), refs(configMap), { timeoutMs: 1000, clock: fakeClock(), signal: controller.signal }));
    expect(error.message).toBe('interrupted by SIGTERM while waiting for 1 of 1 objects');
  });

  test('an abort while a read hangs throws INTERRUPTED without waiting for it', async () => {
    const client = fakeClient([]);
    client.get = () => new Promise(() => undefined);
    const controller = new AbortController();
    const promise = waitForReady(client, refs(configMap), { timeoutMs: 1000, clock: fakeClock(), signal: controller.signal });
    controller.abort();
    const error = await caught(promise);
    expect(error.code).toBe('INTERRUPTED');
    expect(error.details).toEqual(['ConfigMap/ns/settings: not checked yet']);
  });

  test('an already aborted signal reads nothing', async () => {
    const client = fakeClient([configMap]);
    const error = await caught(waitForReady(client, refs(configMap), { timeoutMs: 1000, clock: fakeClock(), signal: AbortSignal.abort() }));
    expect(error.code).toBe('INTERRUPTED');
    expect(client.gets).toHaveLength(0);
  });

  test('a missing object is reported as not found, and duplicates are read once', async () => {
    const client = fakeClient([configMap]);
    const missing: ObjectRef = { apiVersion: 'v1', kind: 'Secret', name: 'gone', namespace: 'ns' };
    const error = await caught(waitForReady(client, [missing, refOf(configMap), { ...missing }], { timeoutMs: 1000, clock: fakeClock() }));
    expect(error.message).toBe('timed out after 1s waiting for 1 of 2 objects');
    expect(error.details).toEqual(['Secret/ns/gone: not found']);
    expect(client.gets).toEqual(['Secret/gone', 'ConfigMap/settings', 'Secret/gone']);
  });

  test('errors from the client propagate unchanged', async () => {
    const client = fakeClient([]);
    const boom = new KcError('INTERNAL', 'connection refused');
    client.get = async () => {
      throw boom;
    };
    await expect(waitForReady(client, refs(configMap), { timeoutMs: 1000, clock: fakeClock() })).rejects.toBe(boom);
  });

  test('a failing pod listing still yields the timeout error', async () => {
    const web = deployment('web', 0);
    const client = fakeClient([web]);
    client.list = async () => {
      throw new Error('forbidden');
    };
    const error = await caught(waitForReady(client, refs(web), { timeoutMs: 0, clock: fakeClock() }));
    expect(error.details).toEqual(['Deployment/ns/web: 0/1 replicas available']);
  });

  test('the default clock really waits between rounds', async () => {
    const client = fakeClient([[deployment('web', 0), deployment('web', 1)]]);
    const states = await waitForReady(client, refs(deployment('web', 0)), { timeoutMs: 1000, intervalMs: 5 });
    expect(states[0].readiness.ready).toBe(true);
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0ms'],
    [500, '500ms'],
    [1000, '1s'],
    [2500, '2.5s'],
    [90_000, '1m30s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
    [5_430_000, '1h30m30s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('selectorOf and whyUnready', () => {
  test('builds a sorted selector from matchLabels and matchExpressions', () => {
    const object: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('db'),
      spec: {
        selector: {
          matchLabels: { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/instance': 'prod' },
          matchExpressions: [
            { key: 'tier', operator: 'In', values: ['b', 'a'] },
            { key: 'canary', operator: 'DoesNotExist' },
            { key: 'zone', operator: 'Exists' },
          ],
        },
      },
    };
    expect(selectorOf(object)).toBe('app.kubernetes.io/instance=prod,app.kubernetes.io/name=db,!canary,tier in (a,b),zone');
    expect(selectorOf({ ...object, spec: { selector: {} } })).toBeUndefined();
  });

  test('an object whose status says why is not explained again', async () => {
    const client = fakeClient([]);
    expect(await whyUnready(client, certificate)).toBeUndefined();
    expect(client.lists).toHaveLength(0);
  });

  test('any other object is explained by its newest Warning event', async () => {
    const client = fakeClient([], [], [
      warning('old', 'PersistentVolumeClaim', 'data', 'ProvisioningFailed', 'storageclass "fast" not found', '2026-12-01T10:00:00Z'),
      warning('new', 'PersistentVolumeClaim', 'data', 'ProvisioningFailed', 'storageclass "fast" still not found', '2026-12-01T10:05:00Z'),
      warning('other', 'PersistentVolumeClaim', 'logs', 'ProvisioningFailed', 'not this claim', '2026-12-01T10:09:00Z'),
      { ...warning('normal', 'PersistentVolumeClaim', 'data', 'ExternalProvisioning', 'waiting for a volume', '2026-12-01T10:10:00Z'), type: 'Normal' },
    ]);
    expect(await whyUnready(client, pendingClaim('data'))).toBe('ProvisioningFailed: storageclass "fast" still not found');
    expect(client.lists).toEqual([{ namespace: 'ns', fieldSelector: 'involvedObject.kind=PersistentVolumeClaim,involvedObject.name=data,involvedObject.uid=uid-data' }]);
    expect(await whyUnready(client, pendingClaim('cache'))).toBeUndefined();
  });

  test('without a Warning, the newest event of any type explains it (FailedBinding is a Normal event)', async () => {
    const normal = (id: string, reason: string, message: string, at: string) => ({ ...warning(id, 'PersistentVolumeClaim', 'data', reason, message, at), type: 'Normal' });
    const client = fakeClient([], [], [
      normal('b', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set', '2026-12-01T10:05:00Z'),
      normal('a', 'Created', 'earlier', '2026-12-01T10:00:00Z'),
    ]);
    expect(await whyUnready(client, pendingClaim('data'))).toBe('FailedBinding: no persistent volumes available for this claim and no storage class is set');
  });

  test('a failed event lookup explains nothing instead of failing', async () => {
    const client = fakeClient([]);
    client.list = async () => {
      throw new Error('forbidden');
    };
    expect(await whyUnready(client, pendingClaim('data'))).toBeUndefined();
  });

  test('a timeout of many objects explains the first 20 only', async () => {
    const claims = Array.from({ length: 25 }, (_, i) => pendingClaim(`c${String(i).padStart(2, '0')}`));
    const events = claims.map((c) => warning(`e-${c.metadata?.name}`, 'PersistentVolumeClaim', c.metadata?.name ?? '', 'FailedBinding', 'no volume', '2026-12-01T10:00:00Z'));
    const client = fakeClient(claims, [], events);
    const error = await caught(waitForReady(client, refs(...claims), { timeoutMs: 0, clock: fakeClock() }));
    expect(error.details).toHaveLength(25);
    expect(error.details?.[0]).toBe('PersistentVolumeClaim/ns/c00: Pending — FailedBinding: no volume');
    expect(error.details?.[19]).toBe('PersistentVolumeClaim/ns/c19: Pending — FailedBinding: no volume');
    expect(error.details?.[20]).toBe('PersistentVolumeClaim/ns/c20: Pending');
    expect(client.lists).toHaveLength(20);
  });

  test('prefers a pod that says why over one that is merely pending', async () => {
    const pods = [
      pendingPod('web-a', { app: 'web', tier: 'web' }),
      {
        ...pendingPod('web-b', { app: 'web', tier: 'web' }),
        status: { phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ErrImagePull', message: 'manifest unknown' } } }] },
      },
    ];
    const client = fakeClient([], pods);
    expect(await whyUnready(client, deployment('web', 0))).toBe('pod web-b is ErrImagePull: container app: manifest unknown');
  });
});

describe('waitForReady with apply responses', () => {
  test('objects already ready in the apply response are not read again', async () => {
    const { FakeKube } = await import('../../helpers/fake-kube.js');
    const client = new FakeKube();
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' } };
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'ns' }, status: { conditions: [{ type: 'Complete', status: 'True' }] } };
    await client.apply(job, {});
    const states = await waitForReady(client, [refOf(cm), refOf(job)], { timeoutMs: 1000, initial: [cm, { ...job, status: {} }] });
    expect(states.every((s) => s.readiness.ready)).toBe(true);
    expect(client.calls.filter((c) => c.startsWith('get'))).toEqual(['get Job/j']);
  });
});

describe('waitForDeletion', () => {
  const ref = (name: string): ObjectRef => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name });
  /** A client on which each object is still there for `reads` more GETs. */
  const goneAfter = (reads: Record<string, number>) => {
    const gets: string[] = [];
    const client = {
      get: async (r: ObjectRef) => {
        gets.push(r.name);
        if (reads[r.name]-- > 0) return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta(r.name), deletionTimestamp: '2026-12-02T00:00:00Z', finalizers: ['example.com/hold'] } };
        return undefined;
      },
    } as unknown as KubeClient;
    return { client, gets };
  };

  test('returns once every object is gone, re-reading only those left', async () => {
    const { client, gets } = goneAfter({ a: 0, b: 2 });
    const clock = fakeClock();
    await waitForDeletion(client, [ref('a'), ref('b')], { timeoutMs: 10_000, clock });
    expect(gets).toEqual(['a', 'b', 'b', 'b']);
    expect(clock.sleeps).toEqual([1000, 1000]);
  });

  test('a timeout names what is left and its finalizers, after a bounded number of rounds', async () => {
    const { client, gets } = goneAfter({ a: 0, b: 1000 });
    const err = await waitForDeletion(client, [ref('a'), ref('b')], { timeoutMs: 3000, clock: fakeClock() }).catch((e: unknown) => e as KcError);
    expect(err).toBeInstanceOf(KcError);
    expect(err!.code).toBe('TIMEOUT');
    expect(err!.message).toBe('timed out after 3s: 1 of 2 deleted objects are still there');
    expect(err!.details).toEqual(['ConfigMap/ns/b: being deleted since 2026-12-02T00:00:00Z, finalizers example.com/hold']);
    expect(gets.filter((g) => g === 'b')).toHaveLength(4);
  });

  test('an aborted wait is INTERRUPTED, not a timeout', async () => {
    const { client } = goneAfter({ a: 1000 });
    const controller = new AbortController();
    controller.abort(new Error('SIGINT'));
    const err = await waitForDeletion(client, [ref('a')], { timeoutMs: 3000, clock: fakeClock(), signal: controller.signal }).catch((e: unknown) => e as KcError);
    expect(err!.code).toBe('INTERRUPTED');
    expect(err!.details).toEqual(['ConfigMap/ns/a: not checked']);
  });
});

