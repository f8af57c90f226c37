/** Helm's install order: kinds earlier in the list are applied first; unknown kinds come last. */
export const INSTALL_ORDER = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy',
  'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass',
  'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList',
  'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding', 'RoleBindingList',
  'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler',
  'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService', 'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

const rank = new Map(INSTALL_ORDER.map((kind, i) => [kind, i]));

/** The minimal shape kc reads from a Kubernetes object. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [k: string]: unknown };
  [key: string]: unknown;
}

function key(o: KubeObject): [number, string, string, string] {
  const kind = o.kind ?? '';
  return [rank.get(kind) ?? INSTALL_ORDER.length, kind, o.metadata?.namespace ?? '', o.metadata?.name ?? ''];
}

/** Compares two objects by install order: kind rank, kind name, namespace, then name. */
export function compareInstallOrder(a: KubeObject, b: KubeObject): number {
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] < kb[i]) return -1;
    if (ka[i] > kb[i]) return 1;
  }
  return 0;
}

/** A copy of `objects` sorted into install order. */
export function sortForInstall<T extends KubeObject>(objects: readonly T[]): T[] {
  return [...objects].sort(compareInstallOrder);
}
