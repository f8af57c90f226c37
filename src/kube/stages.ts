import { INSTALL_ORDER } from '../synth/order.js';
import type { KubeObject } from './types.js';

// Unknown kinds (custom resources) go last, after everything they may depend on.
const UNKNOWN = INSTALL_ORDER.length;
const rank = (kind: string) => {
  const i = INSTALL_ORDER.indexOf(kind);
  return i < 0 ? UNKNOWN : i;
};

// Kinds the API server may need in place to admit a later kind: a Pod's ServiceAccount, PriorityClass, LimitRange
// and ResourceQuota; the default StorageClass or IngressClass it gives a claim or Ingress that names none; the Role a
// binding refers to (checked against escalation for users who may not bind any role). A stage ends after each.
const PREREQUISITES = new Set([
  'PriorityClass',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'ServiceAccount',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleList',
  'Role',
  'RoleList',
  'IngressClass',
]);

// Kinds that change how the API server treats other requests: applied alone, once everything before them landed.
const ALONE = new Set(['APIService', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);

/**
 * Splits objects into stages, in Helm's install order: CRDs, Namespaces, then the other kinds, a stage holding
 * consecutive kinds until one that later kinds may need to be admitted (see PREREQUISITES); webhook configurations
 * and APIServices alone, unknown kinds last. A stage's requests go out in order, their answers awaited together:
 * Secrets, ConfigMaps, Services and workloads share one stage instead of waiting for each other kind by kind.
 */
export function applyStages(objects: readonly KubeObject[]): KubeObject[][] {
  const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
  const namespaces = objects.filter((o) => o.kind === 'Namespace');
  const byRank = new Map<number, KubeObject[]>();
  for (const o of objects) {
    if (o.kind === 'CustomResourceDefinition' || o.kind === 'Namespace') continue;
    const r = rank(o.kind ?? '');
    const list = byRank.get(r);
    if (list) list.push(o);
    else byRank.set(r, [o]);
  }
  const stages = [crds, namespaces].filter((s) => s.length > 0);
  let open: KubeObject[] | undefined; // the stage the next kind may join
  for (const [r, list] of [...byRank.entries()].sort(([a], [b]) => a - b)) {
    const kind = INSTALL_ORDER[r] ?? '';
    const alone = r === UNKNOWN || ALONE.has(kind);
    if (open && !alone) open.push(...list);
    else stages.push((open = [...list]));
    if (alone || PREREQUISITES.has(kind)) open = undefined;
  }
  return stages;
}
