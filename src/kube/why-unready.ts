import { TERMINAL_WAITING_REASONS } from './pod-failure.js';
import { readinessOf, type Readiness } from './readiness.js';
import type { KubeClient, KubeObject } from './types.js';
import { compareText } from '../compare-text.js';

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

/** How many unready objects a report explains: each explanation costs a LIST (pods or events). */
export const MAX_EXPLAINED = 20;

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
  for (const e of [...expressions].sort((a, b) => compareText(a.key ?? '', b.key ?? ''))) {
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

/** The newest of some events: by lastTimestamp, else eventTime, else creation time. */
function newest(events: KubeObject[]): KubeObject | undefined {
  const when = (e: KubeObject) => {
    const t = (e as { lastTimestamp?: string; eventTime?: string }).lastTimestamp ?? (e as { eventTime?: string }).eventTime ?? e.metadata?.creationTimestamp;
    return typeof t === 'string' ? Date.parse(t) || 0 : 0;
  };
  return events.reduce<KubeObject | undefined>((best, e) => (!best || when(e) >= when(best) ? e : best), undefined);
}

/**
 * The object's newest Warning event as `Reason: message` (a LoadBalancer's SyncLoadBalancerFailed, a controller's
 * complaint about a custom resource), else its newest event of any type: a Pending PVC's FailedBinding ("no
 * persistent volumes available…") is a Normal event. Undefined when the object has no events.
 */
async function latestEvent(client: KubeClient, object: KubeObject): Promise<string | undefined> {
  const { name, namespace, uid } = object.metadata ?? {};
  if (!name || !object.kind) return undefined;
  // The uid, when known, keeps out the events of an earlier object of the same name.
  const fieldSelector = [`involvedObject.kind=${object.kind}`, `involvedObject.name=${name}`, ...(typeof uid === 'string' && uid ? [`involvedObject.uid=${uid}`] : [])].join(',');
  const events = await client.list('v1', 'Event', { namespace: typeof namespace === 'string' ? namespace : undefined, fieldSelector });
  const event = newest(events.filter((e) => (e as { type?: string }).type === 'Warning')) ?? newest(events);
  if (!event) return undefined;
  const { reason, message } = event as { reason?: string; message?: string };
  return [reason, message?.trim()].filter(Boolean).join(': ') || undefined;
}

/** Explains a workload from its pods, e.g. `pod web-abc is Unschedulable: 0/2 nodes are available…`. */
async function fromPods(client: KubeClient, object: KubeObject): Promise<string | undefined> {
  const labelSelector = selectorOf(object);
  if (!labelSelector) return undefined;
  const pods = await client.list('v1', 'Pod', { namespace: object.metadata?.namespace, labelSelector });
  if (pods.length === 0) return `no pods match ${labelSelector}`;
  const unready = [...pods]
    .sort((a, b) => compareText(a.metadata?.name ?? '', b.metadata?.name ?? ''))
    .map((pod) => ({ pod, readiness: readinessOf(pod) }))
    .filter((p) => !p.readiness.ready);
  // A failed pod, then one with a message (scheduler verdict, image pull error), says more than a bare phase.
  const chosen = unready.find((p) => p.readiness.failed) ?? unready.find((p) => p.readiness.message) ?? unready[0];
  if (!chosen) return undefined;
  const { reason, message } = chosen.readiness;
  return `pod ${chosen.pod.metadata?.name ?? '?'} is ${reason}${message ? `: ${message}` : ''}`;
}

/**
 * Explains why an object is not ready (as `readiness` has it, else as its status says): a workload from its pods;
 * any other object whose status gives no message from its newest event, Warnings first. Undefined when there is
 * nothing to add or the lookup fails.
 */
export async function whyUnready(
  client: KubeClient,
  object: KubeObject,
  readiness?: Readiness,
): Promise<string | undefined> {
  const verdict = readiness ?? readinessOf(object);
  try {
    // A workload failed by a stuck pod already names the pod and why.
    if (isWorkload(object) && verdict.failed && TERMINAL_WAITING_REASONS.has(verdict.reason)) return undefined;
    if (isWorkload(object)) return await fromPods(client, object);
    // A condition's message (e.g. a Certificate's "Issuer not found") already says why.
    if (verdict.message) return undefined;
    return await latestEvent(client, object);
  } catch {
    // The explanation is decoration on an error already being reported; never let it replace that error.
    return undefined;
  }
}
