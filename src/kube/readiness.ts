import type { KubeObject } from './types.js';

/** Whether one object is ready, with a short reason; `failed` marks a state that waiting cannot fix. */
export interface Readiness {
  ready: boolean;
  /** Short, e.g. 'Available', '1/3 replicas updated', 'Pending', 'Unschedulable'. */
  reason: string;
  message?: string;
  /** Terminal failure (Job Failed, Pod Failed, CRD names rejected…): stop waiting. */
  failed?: boolean;
}

/** The annotation that opts one object out of waiting when set to "false". */
export const WAIT_ANNOTATION = 'kc.dev/wait';

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

type Json = Record<string, unknown>;

function field(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[key];
  }
  return cur;
}

function num(o: unknown, fallback: number, ...path: string[]): number {
  const v = field(o, ...path);
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function str(o: unknown, ...path: string[]): string | undefined {
  const v = field(o, ...path);
  return typeof v === 'string' ? v : undefined;
}

function conditions(o: KubeObject): Condition[] {
  const list = field(o, 'status', 'conditions');
  return Array.isArray(list) ? list.filter((c): c is Condition => c !== null && typeof c === 'object') : [];
}

function condition(o: KubeObject, type: string): Condition | undefined {
  return conditions(o).find((c) => c.type === type);
}

function ready(reason: string, message?: string): Readiness {
  return message ? { ready: true, reason, message } : { ready: true, reason };
}

function notReady(reason: string, message?: string): Readiness {
  return message ? { ready: false, reason, message } : { ready: false, reason };
}

function failed(reason: string, message?: string): Readiness {
  return { ...notReady(reason, message), failed: true };
}

function groupOf(apiVersion: string | undefined): string {
  const v = apiVersion ?? '';
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

/** A status written for an older spec says nothing about the current one. */
function generationLag(o: KubeObject, requireObserved: boolean): Readiness | undefined {
  const generation = field(o, 'metadata', 'generation');
  if (typeof generation !== 'number') return undefined;
  const observed = field(o, 'status', 'observedGeneration');
  if (typeof observed !== 'number') {
    return requireObserved ? notReady('waiting for controller', `generation ${generation} not observed yet`) : undefined;
  }
  if (observed < generation) return notReady('Pending', `generation ${generation} not observed yet (observed ${observed})`);
  return undefined;
}

function deployment(o: KubeObject): Readiness {
  const progressing = condition(o, 'Progressing');
  // The controller gives up after progressDeadlineSeconds; it will not retry without a spec change.
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return failed('ProgressDeadlineExceeded', progressing.message);
  }
  const lag = generationLag(o, true);
  if (lag) return lag;
  if (field(o, 'spec', 'paused') === true) return ready('Paused');
  const desired = num(o, 1, 'spec', 'replicas');
  const total = num(o, 0, 'status', 'replicas');
  const updated = num(o, 0, 'status', 'updatedReplicas');
  const available = num(o, 0, 'status', 'availableReplicas');
  const readyCount = num(o, 0, 'status', 'readyReplicas');
  // ReplicaFailure (quota, admission) explains why no pods exist at all.
  const failure = condition(o, 'ReplicaFailure');
  const why = failure?.status === 'True' ? failure.message : undefined;
  if (updated < desired) return notReady(`${updated}/${desired} replicas updated`, why);
  if (total > updated) return notReady(`${total - updated} old replicas pending termination`, why);
  if (available < desired) return notReady(`${available}/${desired} replicas available`, why);
  if (readyCount < desired) return notReady(`${readyCount}/${desired} replicas ready`, why);
  if (condition(o, 'Available')?.status === 'False') return notReady('Unavailable', condition(o, 'Available')?.message);
  return ready('Available');
}

function statefulSet(o: KubeObject): Readiness {
  const lag = generationLag(o, true);
  if (lag) return lag;
  const desired = num(o, 1, 'spec', 'replicas');
  const total = num(o, 0, 'status', 'replicas');
  const readyCount = num(o, 0, 'status', 'readyReplicas');
  const updated = num(o, 0, 'status', 'updatedReplicas');
  const strategy = str(o, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate';
  if (total < desired) return notReady(`${total}/${desired} replicas created`);
  if (readyCount < desired) return notReady(`${readyCount}/${desired} replicas ready`);
  if (total > desired) return notReady(`${total - desired} extra replicas pending termination`);
  // OnDelete never rolls pods by itself, so there is no revision to wait for.
  if (strategy !== 'RollingUpdate') return ready('Ready');
  const partition = num(o, 0, 'spec', 'updateStrategy', 'rollingUpdate', 'partition');
  if (partition > 0) {
    const expected = Math.max(desired - partition, 0);
    return updated < expected ? notReady(`${updated}/${expected} replicas updated`) : ready('Partition rolled out');
  }
  const current = str(o, 'status', 'currentRevision');
  const update = str(o, 'status', 'updateRevision');
  if (update !== undefined && current !== update) return notReady(`${updated}/${desired} replicas updated`);
  return ready('Ready');
}

function daemonSet(o: KubeObject): Readiness {
  const lag = generationLag(o, true);
  if (lag) return lag;
  const desired = num(o, -1, 'status', 'desiredNumberScheduled');
  if (desired < 0) return notReady('waiting for controller');
  const scheduled = num(o, 0, 'status', 'currentNumberScheduled');
  const updated = num(o, 0, 'status', 'updatedNumberScheduled');
  const available = num(o, 0, 'status', 'numberAvailable');
  const readyCount = num(o, 0, 'status', 'numberReady');
  if (scheduled < desired) return notReady(`${scheduled}/${desired} pods scheduled`);
  if (updated < desired) return notReady(`${updated}/${desired} pods updated`);
  if (available < desired) return notReady(`${available}/${desired} pods available`);
  if (readyCount < desired) return notReady(`${readyCount}/${desired} pods ready`);
  return ready('Ready');
}

function replicaSet(o: KubeObject): Readiness {
  const lag = generationLag(o, true);
  if (lag) return lag;
  const desired = num(o, 1, 'spec', 'replicas');
  const total = num(o, 0, 'status', 'replicas');
  const available = num(o, 0, 'status', 'availableReplicas');
  const readyCount = num(o, 0, 'status', 'readyReplicas');
  const failure = condition(o, 'ReplicaFailure');
  const why = failure?.status === 'True' ? failure.message : undefined;
  if (readyCount < desired) return notReady(`${readyCount}/${desired} replicas ready`, why);
  if (available < desired) return notReady(`${available}/${desired} replicas available`, why);
  if (total > desired) return notReady(`${total - desired} extra replicas pending termination`);
  return ready('Ready');
}

function job(o: KubeObject): Readiness {
  // FailureTarget precedes Failed while pods are still being terminated (Kubernetes ≥ 1.31).
  const failedCond = [condition(o, 'Failed'), condition(o, 'FailureTarget')].find((c) => c?.status === 'True');
  if (failedCond) return failed(failedCond.reason ?? 'Failed', failedCond.message);
  if (condition(o, 'Complete')?.status === 'True') return ready('Complete');
  if (field(o, 'spec', 'suspend') === true) return notReady('Suspended');
  const succeeded = num(o, 0, 'status', 'succeeded');
  const active = num(o, 0, 'status', 'active');
  const failures = num(o, 0, 'status', 'failed');
  return notReady('Running', `${succeeded} succeeded, ${active} active, ${failures} failed`);
}

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } };
}

function containerStatuses(o: KubeObject): ContainerStatus[] {
  const all = [field(o, 'status', 'initContainerStatuses'), field(o, 'status', 'containerStatuses')];
  return all.flatMap((l) => (Array.isArray(l) ? (l as ContainerStatus[]) : []));
}

/** The first container stuck waiting for something other than plain creation. */
function waitingContainer(o: KubeObject): Readiness | undefined {
  for (const c of containerStatuses(o)) {
    const waiting = c.state?.waiting;
    if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      const text = waiting.message ? `container ${c.name ?? '?'}: ${waiting.message}` : `container ${c.name ?? '?'}`;
      return notReady(waiting.reason, text);
    }
  }
  return undefined;
}

function pod(o: KubeObject): Readiness {
  const phase = str(o, 'status', 'phase') ?? 'Pending';
  if (phase === 'Succeeded') return ready('Succeeded');
  if (phase === 'Failed') {
    const exited = containerStatuses(o).find((c) => (c.state?.terminated?.exitCode ?? 0) !== 0);
    const detail = exited
      ? `container ${exited.name ?? '?'} exited with code ${exited.state?.terminated?.exitCode} (${exited.state?.terminated?.reason ?? 'Error'})`
      : undefined;
    return failed(str(o, 'status', 'reason') ?? 'Failed', str(o, 'status', 'message') ?? detail);
  }
  const scheduled = condition(o, 'PodScheduled');
  if (scheduled?.status === 'False') return notReady(scheduled.reason ?? 'Unschedulable', scheduled.message);
  if (phase === 'Running' && condition(o, 'Ready')?.status === 'True') return ready('Running');
  const waiting = waitingContainer(o);
  if (waiting) return waiting;
  if (phase === 'Running') {
    const statuses = field(o, 'status', 'containerStatuses');
    const list = Array.isArray(statuses) ? (statuses as ContainerStatus[]) : [];
    return notReady(`${list.filter((c) => c.ready).length}/${list.length} containers ready`, condition(o, 'Ready')?.message);
  }
  return notReady(phase);
}

function pvc(o: KubeObject): Readiness {
  const phase = str(o, 'status', 'phase') ?? 'Pending';
  if (phase === 'Bound') return ready('Bound');
  // Lost means the bound volume is gone; nothing will rebind it.
  if (phase === 'Lost') return failed('Lost', 'the bound PersistentVolume no longer exists');
  return notReady(phase);
}

function pv(o: KubeObject): Readiness {
  const phase = str(o, 'status', 'phase') ?? 'Pending';
  if (phase === 'Available' || phase === 'Bound') return ready(phase);
  if (phase === 'Failed') return failed('Failed', str(o, 'status', 'message'));
  return notReady(phase);
}

function service(o: KubeObject): Readiness {
  if (str(o, 'spec', 'type') !== 'LoadBalancer') return ready('Ready');
  const external = field(o, 'spec', 'externalIPs');
  if (Array.isArray(external) && external.length > 0) return ready('Ready');
  const ingress = field(o, 'status', 'loadBalancer', 'ingress');
  if (Array.isArray(ingress) && ingress.length > 0) return ready('Ready');
  return notReady('waiting for load balancer', 'status.loadBalancer.ingress is empty');
}

function crd(o: KubeObject): Readiness {
  const names = condition(o, 'NamesAccepted');
  if (names?.status === 'False') return failed(names.reason ?? 'NamesNotAccepted', names.message);
  const established = condition(o, 'Established');
  if (established?.status === 'True') return ready('Established');
  return notReady('not established', established?.message);
}

/** kstatus conventions first (Stalled, Reconciling), then the common Ready/Available condition. */
function custom(o: KubeObject): Readiness {
  const lag = generationLag(o, false);
  if (lag) return lag;
  const stalled = condition(o, 'Stalled');
  if (stalled?.status === 'True') return failed(stalled.reason || 'Stalled', stalled.message);
  const reconciling = condition(o, 'Reconciling');
  if (reconciling?.status === 'True') return notReady(reconciling.reason || 'Reconciling', reconciling.message);
  const c = condition(o, 'Ready') ?? condition(o, 'Available');
  if (!c) return ready('Ready');
  const generation = field(o, 'metadata', 'generation');
  if (typeof c.observedGeneration === 'number' && typeof generation === 'number' && c.observedGeneration < generation) {
    return notReady('Pending', `condition ${c.type} is from generation ${c.observedGeneration}, not ${generation}`);
  }
  if (c.status === 'True') return ready(c.reason || c.type || 'Ready');
  const reason = c.reason || (c.status === 'False' ? `Not${c.type}` : `${c.type} unknown`);
  return notReady(reason, c.message);
}

const handlers: Record<string, (o: KubeObject) => Readiness> = {
  'apps/Deployment': deployment,
  'apps/StatefulSet': statefulSet,
  'apps/DaemonSet': daemonSet,
  'apps/ReplicaSet': replicaSet,
  'batch/Job': job,
  '/Pod': pod,
  '/PersistentVolumeClaim': pvc,
  '/PersistentVolume': pv,
  '/Service': service,
  'apiextensions.k8s.io/CustomResourceDefinition': crd,
};

/** Computes whether an object read from the cluster is ready, following Helm 3 and kstatus. */
export function readinessOf(object: KubeObject): Readiness {
  const annotations = field(object, 'metadata', 'annotations');
  if (annotations && (annotations as Json)[WAIT_ANNOTATION] === 'false') return ready('not waited');
  const handler = handlers[`${groupOf(object.apiVersion)}/${object.kind ?? ''}`];
  return handler ? handler(object) : custom(object);
}
