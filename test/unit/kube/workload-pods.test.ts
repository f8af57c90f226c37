import { describe, expect, test } from '@jest/globals';
import { KcError } from '../../../src/errors/index.js';
import { refOf, type KubeClient, type KubeObject, type ListOptions } from '../../../src/kube/types.js';
import { waitForReady } from '../../../src/kube/wait.js';
import { currentPods, MAX_POD_CHECKS, podVerdicts, stuckPodVerdict } from '../../../src/kube/workload-pods.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import { FakeKube } from '../../helpers/fake-kube.js';

/** Lists pods and ReplicaSets by namespace and `k=v,…` selector; gets objects by name; counts lists. */
function fakeClient(objects: KubeObject[], listed: string[] = []): KubeClient {
  const matches = (o: KubeObject, options: ListOptions) => {
    const labels = (o.metadata?.labels ?? {}) as Record<string, string>;
    const wanted = (options.labelSelector ?? '').split(',').filter(Boolean).map((kv) => kv.split('='));
    return o.metadata?.namespace === options.namespace && wanted.every(([k, v]) => labels[k] === v);
  };
  return {
    get: async (ref) => objects.find((o) => o.kind === ref.kind && o.metadata?.name === ref.name),
    list: async (_apiVersion: string, kind: string, options: ListOptions = {}) => {
      listed.push(kind);
      return objects.filter((o) => o.kind === kind && matches(o, options));
    },
  } as KubeClient;
}

const labels = { app: 'web' };
const owner = (uid: string) => [{ apiVersion: 'apps/v1', kind: 'X', name: 'x', uid, controller: true }];
const revision = (r: string) => ({ 'deployment.kubernetes.io/revision': r });

function deployment(rev = '2', generation = 2, observed = 2): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns', uid: 'd1', generation, annotations: revision(rev) },
    spec: { replicas: 1, selector: { matchLabels: labels } },
    status: { observedGeneration: observed, replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 },
  };
}

function replicaSet(name: string, uid: string, rev: string): KubeObject {
  const metadata = { name, namespace: 'ns', uid, labels, ownerReferences: owner('d1'), annotations: revision(rev) };
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata };
}

function pod(name: string, ownerUid: string, waiting?: string, extraLabels: Record<string, string> = {}): KubeObject {
  const state = waiting ? { waiting: { reason: waiting, message: `${waiting} for ${name}` } } : { running: {} };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', labels: { ...labels, ...extraLabels }, ownerReferences: owner(ownerUid) },
    status: {
      phase: waiting === 'CrashLoopBackOff' ? 'Running' : waiting ? 'Pending' : 'Running',
      conditions: [{ type: 'Ready', status: waiting ? 'False' : 'True' }],
      containerStatuses: [{ name: 'app', ready: !waiting, state }],
    },
  };
}

const sets = [replicaSet('web-old', 'rs1', '1'), replicaSet('web-new', 'rs2', '2')];

describe('currentPods', () => {
  test("a Deployment's are its newest ReplicaSet's: an old pod crash looping as it is replaced is not", async () => {
    const client = fakeClient([...sets, pod('web-old-a', 'rs1', 'CrashLoopBackOff'), pod('web-new-a', 'rs2')]);
    expect((await currentPods(client, deployment())).map((p) => p.metadata?.name)).toEqual(['web-new-a']);
  });

  test('none while the controller has not observed the new generation (its revision is the old one)', async () => {
    const listed: string[] = [];
    const client = fakeClient([...sets, pod('web-old-a', 'rs1', 'CrashLoopBackOff')], listed);
    expect(await currentPods(client, deployment('1', 3, 2))).toEqual([]);
    expect(listed).toEqual([]);
  });

  test("a StatefulSet's are its update revision's, a DaemonSet's its generation's, a Job's its own", async () => {
    const sts: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'ns', uid: 's1', generation: 1 },
      spec: { selector: { matchLabels: labels } },
      status: { observedGeneration: 1, updateRevision: 'db-2' },
    };
    const ds: KubeObject = {
      ...sts,
      kind: 'DaemonSet',
      metadata: { ...sts.metadata, uid: 'ds1', generation: 4 },
      status: { observedGeneration: 4 },
    };
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: 'ns', uid: 'j1', generation: 1 },
      spec: { selector: { matchLabels: labels } },
    };
    const client = fakeClient([
      pod('db-0', 's1', undefined, { 'controller-revision-hash': 'db-2' }),
      pod('db-1', 's1', undefined, { 'controller-revision-hash': 'db-1' }),
      pod('ds-a', 'ds1', undefined, { 'pod-template-generation': '4' }),
      pod('ds-b', 'ds1', undefined, { 'pod-template-generation': '3' }),
      pod('j-a', 'j1'),
      pod('other', 'zz'),
    ]);
    expect((await currentPods(client, sts)).map((p) => p.metadata?.name)).toEqual(['db-0']);
    expect((await currentPods(client, ds)).map((p) => p.metadata?.name)).toEqual(['ds-a']);
    expect((await currentPods(client, job)).map((p) => p.metadata?.name)).toEqual(['j-a']);
  });
});

describe('stuckPodVerdict', () => {
  test.each(['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'InvalidImageName'])(
    '%s fails, naming the pod and container',
    (reason) => {
      expect(stuckPodVerdict([pod('web-b', 'rs2'), pod('web-a', 'rs2', reason)])).toEqual({
        ready: false,
        failed: true,
        reason,
        message: `pod web-a: container app: ${reason} for web-a`,
      });
    },
  );

  test('pending, creating or running pods say nothing', () => {
    expect(stuckPodVerdict([pod('a', 'rs2', 'ContainerCreating'), pod('b', 'rs2')])).toBeUndefined();
  });
});

describe('podVerdicts', () => {
  test('fails only unready workloads, and looks at no more than MAX_POD_CHECKS a call', async () => {
    const listed: string[] = [];
    const client = fakeClient([...sets, pod('web-new-a', 'rs2', 'ImagePullBackOff')], listed);
    const many = Array.from({ length: MAX_POD_CHECKS + 5 }, () => deployment());
    const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' } };
    const verdicts = await podVerdicts(client, [configMap, undefined, ...many]);
    expect(verdicts[0]).toBeUndefined();
    expect(verdicts[1]).toBeUndefined();
    expect(verdicts.filter((v) => v?.failed)).toHaveLength(MAX_POD_CHECKS);
    expect(verdicts[2]).toMatchObject({ reason: 'ImagePullBackOff', message: expect.stringContaining('web-new-a') });
    expect(listed.filter((k) => k === 'Pod')).toHaveLength(MAX_POD_CHECKS);
  });

  test('a lookup that fails (pods not listable) leaves the verdict to the status', async () => {
    const client = { list: async () => Promise.reject(new Error('forbidden')) } as unknown as KubeClient;
    expect(await podVerdicts(client, [deployment()])).toEqual([undefined]);
  });
});

describe('waitForReady and stuck pods', () => {
  test('a Deployment whose new pod crash loops ends the wait at once: NOT_READY naming pod and reason', async () => {
    const client = fakeClient([deployment(), ...sets, pod('web-new-a', 'rs2', 'CrashLoopBackOff')]);
    const clock = fakeClock();
    const waiting = waitForReady(client, [refOf(deployment())], { timeoutMs: 120_000, clock });
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KcError);
    expect((error as KcError).code).toBe('NOT_READY');
    expect((error as KcError).details).toEqual([
      'Deployment/ns/web: CrashLoopBackOff: pod web-new-a: container app: CrashLoopBackOff for web-new-a',
    ]);
    expect(clock.sleeps).toEqual([]);
  });

  test('a watched Deployment is failed by a pod stuck later, at the next interval, without a read', async () => {
    const client = new FakeKube();
    for (const o of [deployment(), ...sets, pod('web-new-a', 'rs2')]) await client.apply(o, { fieldManager: 'test' });
    client.calls.length = 0;
    const waiting = waitForReady(client, [refOf(deployment())], { timeoutMs: 30_000, intervalMs: 20 }).catch((e) => e);
    for (let i = 0; i < 500 && client.watching === 0; i++) await new Promise((r) => setTimeout(r, 2));
    const started = Date.now();
    await client.apply(pod('web-new-a', 'rs2', 'ImagePullBackOff'), { fieldManager: 'test' });
    const error = (await waiting) as KcError;
    expect(error.code).toBe('NOT_READY');
    const named = 'Deployment/ns/web: ImagePullBackOff: pod web-new-a: container app: ImagePullBackOff for web-new-a';
    expect(error.details).toEqual([named]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(client.calls.filter((c) => c.startsWith('get'))).toEqual(['get Deployment/web']);
    expect(client.watching).toBe(0);
  });
});
