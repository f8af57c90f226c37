import type { KubeObject } from './order.js';

/** Built-in kinds that live outside namespaces; every other kind gets the release namespace. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'CustomResourceDefinition', 'ClusterRole',
  'ClusterRoleBinding', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode',
  'VolumeAttachment', 'APIService', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'CertificateSigningRequest', 'FlowSchema',
  'PriorityLevelConfiguration',
]);

/** A deep copy of `value` with every map's keys sorted and undefined entries dropped: a canonical form to compare. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = sortKeys(v);
  }
  return out;
}

/** Puts namespaced objects without a namespace into `namespace` and sorts every map's keys. */
export function normalizeObject(object: KubeObject, namespace: string | undefined): KubeObject {
  const copy = sortKeys(object) as KubeObject;
  if (namespace && !CLUSTER_SCOPED_KINDS.has(copy.kind ?? '') && !copy.metadata?.namespace) {
    copy.metadata = sortKeys({ ...copy.metadata, namespace }) as KubeObject['metadata'];
  }
  return copy;
}
