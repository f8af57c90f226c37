// Smoke test of the local control plane: real apiserver/KCM/scheduler + kwok fake nodes.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, statusCode, waitFor, type TestNamespace } from './helpers/cluster';

const kc = makeKubeConfig();
const core = kc.makeApiClient(k8s.CoreV1Api);
const apps = kc.makeApiClient(k8s.AppsV1Api);
const batch = kc.makeApiClient(k8s.BatchV1Api);

let ns: TestNamespace;
const pvName = `kc-it-pv-${Date.now().toString(36)}`;

beforeAll(async () => {
  ns = await freshNamespace('kc-cluster');
});

afterAll(async () => {
  await ns?.cleanup();
  try {
    await core.deletePersistentVolume({ name: pvName });
  } catch (err) {
    if (statusCode(err) !== 404) throw err;
  }
});

describe('local control plane', () => {
  test('has at least two Ready nodes with InternalIP 127.0.0.1', async () => {
    const nodes = await core.listNode();
    const ready = nodes.items.filter((n) =>
      n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    expect(ready.length).toBeGreaterThanOrEqual(2);
    for (const node of ready) {
      const internal = node.status?.addresses?.filter((a) => a.type === 'InternalIP').map((a) => a.address);
      expect(internal).toEqual(['127.0.0.1']);
    }
  });

  test('Deployment + Service + Secret: Deployment becomes Available', async () => {
    const namespace = ns.name;
    const labels = { app: 'web' };
    await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'web-secret' }, type: 'Opaque', stringData: { password: 's3cret' } },
    });
    await core.createNamespacedService({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      },
    });
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web', labels },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: 'web',
                  image: 'example.invalid/web:1.0', // never pulled: kwok fakes the kubelet
                  ports: [{ containerPort: 8080 }],
                  envFrom: [{ secretRef: { name: 'web-secret' } }],
                },
              ],
            },
          },
        },
      },
    });
    const dep = await waitFor(
      async () => {
        const d = await apps.readNamespacedDeployment({ name: 'web', namespace });
        const available = d.status?.conditions?.find((c) => c.type === 'Available');
        return available?.status === 'True' && d.status?.availableReplicas === 2 ? d : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, description: 'Deployment web Available' },
    );
    expect(dep.status?.readyReplicas).toBe(2);

    const svc = await core.readNamespacedService({ name: 'web', namespace });
    expect(svc.spec?.clusterIP).toBeTruthy();
    const secret = await core.readNamespacedSecret({ name: 'web-secret', namespace });
    expect(Buffer.from(secret.data?.password ?? '', 'base64').toString()).toBe('s3cret');
  });

  test('PVC binds to a matching static PV', async () => {
    const namespace = ns.name;
    await core.createPersistentVolume({
      body: {
        metadata: { name: pvName, labels: { 'kc.test/pv': pvName } },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          persistentVolumeReclaimPolicy: 'Retain',
          storageClassName: '',
          hostPath: { path: `/tmp/${pvName}`, type: 'DirectoryOrCreate' }, // never mounted (fake nodes)
        },
      },
    });
    await core.createNamespacedPersistentVolumeClaim({
      namespace,
      body: {
        metadata: { name: 'data' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: '',
          selector: { matchLabels: { 'kc.test/pv': pvName } },
          resources: { requests: { storage: '1Gi' } },
        },
      },
    });
    const pvc = await waitFor(
      async () => {
        const c = await core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace });
        return c.status?.phase === 'Bound' ? c : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'PVC data Bound' },
    );
    expect(pvc.spec?.volumeName).toBe(pvName);
  });

  test('a Job completes', async () => {
    const namespace = ns.name;
    await batch.createNamespacedJob({
      namespace,
      body: {
        metadata: { name: 'once' },
        spec: {
          backoffLimit: 0,
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'once', image: 'example.invalid/job:1.0', command: ['true'] }],
            },
          },
        },
      },
    });
    const job = await waitFor(
      async () => {
        const j = await batch.readNamespacedJob({ name: 'once', namespace });
        return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, description: 'Job once Complete' },
    );
    expect(job.status?.succeeded).toBe(1);
  });

  test('a pod with an impossible nodeSelector stays Pending (Unschedulable)', async () => {
    const namespace = ns.name;
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'nowhere' },
        spec: {
          nodeSelector: { 'kc.test/no-such-label': 'true' },
          containers: [{ name: 'c', image: 'example.invalid/none:1.0' }],
        },
      },
    });
    const pod = await waitFor(
      async () => {
        const p = await core.readNamespacedPod({ name: 'nowhere', namespace });
        const scheduled = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
        return scheduled?.status === 'False' && scheduled.reason === 'Unschedulable' ? p : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'pod nowhere Unschedulable' },
    );
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.spec?.nodeName).toBeUndefined();
    // still Pending a little later
    await new Promise((r) => setTimeout(r, 2000));
    const again = await core.readNamespacedPod({ name: 'nowhere', namespace });
    expect(again.status?.phase).toBe('Pending');
    expect(again.spec?.nodeName).toBeUndefined();
  });
});
