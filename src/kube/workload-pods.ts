import { describeStuck, terminalWaiting } from './pod-failure.js';
import { readinessOf } from './readiness.js';
import { failed, type Readiness } from './readiness-result.js';
import { field, str } from './status-fields.js';
import type { KubeClient, KubeObject } from './types.js';
import { selectorOf } from './why-unready.js';
import { compareText } from '../compare-text.js';

/** How many unready workloads one polling round looks into: each costs a LIST of pods (a Deployment's, two). */
export const MAX_POD_CHECKS = 20;

const REVISION = 'deployment.kubernetes.io/revision';

const WORKLOADS = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet', 'batch/Job']);

function kindOf(o: { apiVersion?: string; kind?: string }): string {
  return `${(o.apiVersion ?? '').split('/')[0]}/${o.kind ?? ''}`;
}

/** Whether an object's kind is one whose pods podVerdicts looks at (Deployment, StatefulSet, DaemonSet, …). */
export function judgedByPods(ref: { apiVersion?: string; kind?: string }): boolean {
  return WORKLOADS.has(kindOf(ref));
}

function ownedBy(o: KubeObject, uid: unknown): boolean {
  const refs = field(o, 'metadata', 'ownerReferences');
  return typeof uid === 'string' && Array.isArray(refs) && refs.some((r: { uid?: unknown }) => r?.uid === uid);
}

function label(o: KubeObject, key: string): unknown {
  return field(o, 'metadata', 'labels', key);
}

/** Whether the controller has seen the workload's current spec, so that its revision fields are current too. */
function observed(o: KubeObject): boolean {
  // A Job's pod template cannot change, and its status has no observedGeneration.
  if (kindOf(o) === 'batch/Job') return true;
  const generation = field(o, 'metadata', 'generation');
  return generation === undefined || field(o, 'status', 'observedGeneration') === generation;
}

/**
 * The pods of a workload's current revision (older ones may crash while being replaced): a Deployment's newest
 * ReplicaSet's, a StatefulSet's update revision's, a DaemonSet's current generation's, a ReplicaSet's or Job's own.
 */
export async function currentPods(client: KubeClient, workload: KubeObject): Promise<KubeObject[]> {
  const labelSelector = selectorOf(workload);
  const uid = workload.metadata?.uid;
  const namespace = workload.metadata?.namespace;
  const kind = kindOf(workload);
  if (!labelSelector || !observed(workload)) return [];
  let owner = uid;
  let keep = (_pod: KubeObject): boolean => true;
  if (kind === 'apps/Deployment') {
    const revision = field(workload, 'metadata', 'annotations', REVISION);
    if (typeof revision !== 'string') return [];
    const sets = await client.list('apps/v1', 'ReplicaSet', { namespace, labelSelector });
    const newest = sets.find((rs) => ownedBy(rs, uid) && field(rs, 'metadata', 'annotations', REVISION) === revision);
    if (!newest) return [];
    owner = newest.metadata?.uid;
  } else if (kind === 'apps/StatefulSet') {
    const revision = str(workload, 'status', 'updateRevision');
    if (!revision) return [];
    keep = (pod) => label(pod, 'controller-revision-hash') === revision;
  } else if (kind === 'apps/DaemonSet') {
    const generation = String(field(workload, 'metadata', 'generation'));
    keep = (pod) => label(pod, 'pod-template-generation') === generation;
  } else if (!WORKLOADS.has(kind)) {
    return [];
  }
  const pods = await client.list('v1', 'Pod', { namespace, labelSelector });
  return pods.filter((pod) => ownedBy(pod, owner) && keep(pod));
}

/** A failed verdict naming the first pod (by name) stuck on a terminal waiting reason, or undefined. */
export function stuckPodVerdict(pods: KubeObject[]): Readiness | undefined {
  const byName = [...pods].sort((a, b) => compareText(a.metadata?.name ?? '', b.metadata?.name ?? ''));
  for (const pod of byName) {
    const stuck = terminalWaiting(pod);
    if (stuck) return failed(stuck.reason, `pod ${pod.metadata?.name ?? '?'}: ${describeStuck(stuck)}`);
  }
  return undefined;
}

async function verdictOf(client: KubeClient, workload: KubeObject): Promise<Readiness | undefined> {
  try {
    return stuckPodVerdict(await currentPods(client, workload));
  } catch {
    // Pods are a second opinion (and a user may not be allowed to list them): the workload's own status stands.
    return undefined;
  }
}

/**
 * For each object, a failed verdict when it is an unready workload one of whose current pods crash loops, cannot
 * pull its image or lacks its config (at most MAX_POD_CHECKS workloads a call), else undefined.
 */
export async function podVerdicts(
  client: KubeClient,
  objects: (KubeObject | undefined)[],
): Promise<(Readiness | undefined)[]> {
  let budget = MAX_POD_CHECKS;
  return Promise.all(
    objects.map((o) => {
      if (!o || !o.metadata?.uid || !WORKLOADS.has(kindOf(o))) return undefined;
      const readiness = readinessOf(o);
      if (readiness.ready || readiness.failed || readiness.reason === 'being deleted' || budget <= 0) return undefined;
      budget--;
      return verdictOf(client, o);
    }),
  );
}
