import { readinessOf } from './readiness.js';
import type { KubeClient, KubeObject } from './types.js';

interface Requirement {
  key?: string;
  operator?: string;
  values?: string[];
}

const WORKLOADS = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet', 'batch/Job']);

function isWorkload(o: KubeObject): boolean {
  const group = (o.apiVersion ?? '').split('/')[0];
  return WORKLOADS.has(`${group}/${o.kind ?? ''}`);
}

/** The label selector string of a workload's `spec.selector` (keys sorted), or undefined when it has none. */
export function selectorOf(object: KubeObject): string | undefined {
  const selector = (object.spec as { selector?: unknown } | undefined)?.selector;
  if (!selector || typeof selector !== 'object') return undefined;
  const { matchLabels, matchExpressions } = selector as { matchLabels?: unknown; matchExpressions?: unknown };
  const parts: string[] = [];
  if (matchLabels && typeof matchLabels === 'object') {
    for (const key of Object.keys(matchLabels).sort()) parts.push(`${key}=${String((matchLabels as Record<string, unknown>)[key])}`);
  }
  const expressions = Array.isArray(matchExpressions) ? (matchExpressions as Requirement[]) : [];
  for (const e of [...expressions].sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''))) {
    if (!e.key) continue;
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  // An empty selector would match every pod in the namespace: useless as an explanation.
  return parts.length > 0 ? parts.join(',') : undefined;
}

/**
 * Explains why a workload is not ready from its pods, e.g. `pod web-abc is Unschedulable: 0/2 nodes are
 * available…`; undefined for other kinds or when the pods cannot be listed.
 */
export async function whyUnready(client: KubeClient, object: KubeObject): Promise<string | undefined> {
  if (!isWorkload(object)) return undefined;
  const labelSelector = selectorOf(object);
  if (!labelSelector) return undefined;
  let pods: KubeObject[];
  try {
    pods = await client.list('v1', 'Pod', { namespace: object.metadata?.namespace, labelSelector });
  } catch {
    // The explanation is decoration on an error already being reported; never let it replace that error.
    return undefined;
  }
  if (pods.length === 0) return `no pods match ${labelSelector}`;
  const unready = [...pods]
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .map((pod) => ({ pod, readiness: readinessOf(pod) }))
    .filter((p) => !p.readiness.ready);
  // A pod with a message (scheduler verdict, image pull error, exit code) says more than a bare phase.
  const chosen = unready.find((p) => p.readiness.message) ?? unready[0];
  if (!chosen) return undefined;
  const { reason, message } = chosen.readiness;
  return `pod ${chosen.pod.metadata?.name ?? '?'} is ${reason}${message ? `: ${message}` : ''}`;
}
