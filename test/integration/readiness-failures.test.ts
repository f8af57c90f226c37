// Failure states end the readiness wait early (exit 7, well before --timeout) naming the object, pod and reason;
// a suspended Job and an address-less LoadBalancer are reported and not waited on. Pods are kept unscheduled (no
// node matches), so kwok leaves them alone, and their status is set by the test as a kubelet would set it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, waitFor, type TestNamespace } from './helpers/cluster.js';
import { kcIn } from './helpers/kc.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

const CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { ApiObject } from 'cdk8s';
import { KcChart, type ChartMeta } from 'kc/chart';

const schema = z.object({ scenario: z.string() });

export class Failing extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'failing', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Failing.meta, props);
    const labels = { app: id };
    const pod = (restartPolicy: string) => ({
      metadata: { labels },
      spec: { restartPolicy, nodeSelector: { 'kc-test/none': 'true' }, containers: [{ name: 'app', image: 'app:1' }] },
    });
    const metadata = { name: id };
    const s = this.values.scenario;
    if (s === 'deployment' || s === 'deadline') {
      const deadline = s === 'deadline' ? { progressDeadlineSeconds: 1 } : {};
      new ApiObject(this, 'd', { apiVersion: 'apps/v1', kind: 'Deployment', metadata,
        spec: { replicas: 1, selector: { matchLabels: labels }, template: pod('Always'), ...deadline } });
    }
    if (s === 'statefulset') {
      new ApiObject(this, 's', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata,
        spec: { replicas: 1, serviceName: id, selector: { matchLabels: labels }, template: pod('Always') } });
    }
    if (s === 'job' || s === 'suspended') {
      new ApiObject(this, 'j', { apiVersion: 'batch/v1', kind: 'Job', metadata,
        spec: { backoffLimit: 0, suspend: s === 'suspended', template: pod('Never') } });
    }
    if (s === 'loadbalancer') {
      new ApiObject(this, 'l', { apiVersion: 'v1', kind: 'Service', metadata,
        spec: { type: 'LoadBalancer', selector: labels, ports: [{ port: 80 }] } });
    }
  }
}
export default Failing;
`;

let ns: TestNamespace;
let chart: TempProject;
beforeAll(async () => {
  ns = await freshNamespace('readiness');
  chart = tempProject({ 'index.ts': CHART });
});
afterAll(async () => {
  await ns.cleanup();
  chart.remove();
});

const core = () => makeKubeConfig().makeApiClient(k8s.CoreV1Api);
const asMergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

/** The release's pods, once there are some. */
async function podsOf(release: string): Promise<k8s.V1Pod[]> {
  return waitFor(
    async () => {
      const pods = (await core().listNamespacedPod({ namespace: ns.name, labelSelector: `app=${release}` })).items;
      return pods.length > 0 ? pods : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 250, description: `pods of ${release}` },
  );
}

const container = (restartCount: number, state: unknown) => ({
  ...{ name: 'app', image: 'app:1', imageID: '', ready: false },
  restartCount,
  state,
});

/** Writes a pod's status as its kubelet would. */
async function setStatus(pod: k8s.V1Pod, status: unknown): Promise<void> {
  const name = pod.metadata!.name!;
  await core().patchNamespacedPodStatus({ name, namespace: ns.name, body: { status } }, asMergePatch);
}

/** Sets the status a kubelet writes for a pod whose container waits for `reason`. */
async function setWaiting(pod: k8s.V1Pod, reason: string, message: string): Promise<void> {
  const status = {
    phase: reason === 'CrashLoopBackOff' ? 'Running' : 'Pending',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
    ],
    containerStatuses: [container(3, { waiting: { reason, message } })],
  };
  await setStatus(pod, status);
}

/** Sets the status of a pod whose container exited with an error. */
async function setFailed(pod: k8s.V1Pod): Promise<void> {
  const terminated = { exitCode: 1, reason: 'Error', startedAt: new Date(), finishedAt: new Date() };
  const status = {
    phase: 'Failed',
    containerStatuses: [container(0, { terminated })],
  };
  await setStatus(pod, status);
}

const install = (release: string, scenario: string) =>
  kcIn(ns.name, ['install', release, chart.dir, '--set', `scenario=${scenario}`, '--timeout', '2m']);

describe('a failure state ends the wait early with exit 7 and its reason', () => {
  test.each([
    ['deployment', 'CrashLoopBackOff', 'back-off 40s restarting failed container=app'],
    ['deployment', 'ImagePullBackOff', 'Back-off pulling image "app:1"'],
    ['statefulset', 'CreateContainerConfigError', 'secret "db" not found'],
    ['job', 'ErrImagePull', 'failed to pull and unpack image "docker.io/library/app:1": not found'],
  ])('a %s whose pod is in %s', async (scenario, reason, message) => {
    const release = `${scenario.slice(0, 5)}-${reason.toLowerCase()}`.slice(0, 40);
    const started = Date.now();
    const running = install(release, scenario);
    for (const pod of await podsOf(release)) await setWaiting(pod, reason, message);
    const run = await running;
    const kind = { deployment: 'Deployment', statefulset: 'StatefulSet', job: 'Job' }[scenario];
    expect(run.code).toBe(7);
    expect(run.stderr).toContain('[NOT_READY]: 1 object failed and will not become ready');
    const named = `${kind}/${ns.name}/${release}: ${reason}: pod ${release}-\\S+: container app: ${escape(message)}`;
    expect(run.stderr).toMatch(new RegExp(named));
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 45_000);

  test('a Job past its backoff limit', async () => {
    const started = Date.now();
    const running = install('backoff', 'job');
    for (const pod of await podsOf('backoff')) await setFailed(pod);
    const run = await running;
    expect(run.code).toBe(7);
    const limit = 'BackoffLimitExceeded: Job has reached the specified backoff limit';
    expect(run.stderr).toContain(`Job/${ns.name}/backoff: ${limit}`);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 45_000);

  test('a Deployment past its progressDeadlineSeconds', async () => {
    const started = Date.now();
    const run = await install('deadline', 'deadline');
    expect(run.code).toBe(7);
    const deadline = `Deployment/${ns.name}/deadline: ProgressDeadlineExceeded: ReplicaSet "deadline-\\S+" has timed`;
    expect(run.stderr).toMatch(new RegExp(deadline));
    // The explanation still comes from the pods.
    expect(run.stderr).toMatch(/— pod deadline-\S+ is Unschedulable/);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 45_000);
});

describe('reported, not waited on', () => {
  test('a suspended Job: ready as soon as its controller suspends it, and kc says so', async () => {
    const started = Date.now();
    const run = await install('paused-job', 'suspended');
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    const why = 'Suspended (spec.suspend is true: it runs once resumed, not waited for)';
    expect(run.stderr).toContain(`Job/${ns.name}/paused-job  ${why}`);
    expect(Date.now() - started).toBeLessThan(30_000);
    const status = await kcIn(ns.name, ['status', 'paused-job']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Job\/\S+\/paused-job +yes +synced +Suspended: spec.suspend is true/);
  }, 45_000);

  test('a LoadBalancer Service no controller gives an address: not waited for; kc status says why', async () => {
    const started = Date.now();
    const run = await install('lb', 'loadbalancer');
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    const status = await kcIn(ns.name, ['status', 'lb']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Service\/\S+\/lb +yes +synced +no load balancer address: status.loadBalancer/);
  }, 45_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
