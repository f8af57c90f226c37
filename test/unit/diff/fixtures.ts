import type { KubeObject } from '../../../src/kube/types.js';

/** A desired Deployment as a chart would synthesize it. */
export function deployment(name: string, replicas = 1, namespace = 'ns'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: { replicas, template: { spec: { containers: [{ name, image: 'nginx:1.27' }] } } },
  };
}

/** The same object as the API server returns it: noise added everywhere. */
export function asLive(object: KubeObject, extra: { resourceVersion?: string } = {}): KubeObject {
  const copy = structuredClone(object);
  copy.metadata = {
    ...copy.metadata,
    resourceVersion: extra.resourceVersion ?? '123',
    uid: 'd9b2c9a8-0000-4000-8000-000000000000',
    generation: 4,
    creationTimestamp: '2025-01-01T00:00:00Z',
    selfLink: '/apis/apps/v1/namespaces/ns/deployments/x',
    managedFields: [{ manager: 'kc', operation: 'Apply', fieldsV1: { 'f:spec': {} } }],
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': '{"secret":"leak"}',
      'deployment.kubernetes.io/revision': '7',
    },
  };
  copy.status = { observedGeneration: 4, readyReplicas: 1 };
  return copy;
}

/** A Secret with base64 `data`. */
export function secret(values: Record<string, string>, name = 'db'): KubeObject {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) data[k] = Buffer.from(v, 'utf8').toString('base64');
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'ns' }, type: 'Opaque', data };
}
