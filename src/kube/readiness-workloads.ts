import { failed, notReady, ready, type Readiness } from './readiness-result.js';
import { condition, field, isTrue, num, str } from './status-fields.js';
import type { KubeObject } from './types.js';

/** What the Deployment controller stores when progressDeadlineSeconds is unset: it never reports progress then. */
const NO_PROGRESS_DEADLINE = 2147483647;

/** Why a workload has no pods at all (quota, admission), from its ReplicaFailure condition. */
function replicaFailure(o: KubeObject): string | undefined {
  const c = condition(o, 'ReplicaFailure');
  return c?.status === 'True' ? c.message : undefined;
}

/** A Deployment as kstatus computes it; a paused one is not waited for, as Helm 4 skips it. */
export function deployment(o: KubeObject): Readiness {
  const progressing = condition(o, 'Progressing');
  // The controller gives up after progressDeadlineSeconds; it will not retry without a spec change.
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return failed('ProgressDeadlineExceeded', progressing.message);
  }
  if (field(o, 'spec', 'paused') === true) return ready('Paused');
  const desired = num(o, 1, 'spec', 'replicas');
  const total = num(o, 0, 'status', 'replicas');
  const updated = num(o, 0, 'status', 'updatedReplicas');
  const available = num(o, 0, 'status', 'availableReplicas');
  const readyCount = num(o, 0, 'status', 'readyReplicas');
  const why = replicaFailure(o);
  if (total < desired) return notReady(`${total}/${desired} replicas created`, why);
  if (updated < desired) return notReady(`${updated}/${desired} replicas updated`, why);
  if (total > desired) return notReady(`${total - desired} old replicas pending termination`, why);
  if (available < updated) return notReady(`${available}/${updated} replicas available`, why);
  if (readyCount < desired) return notReady(`${readyCount}/${desired} replicas ready`, why);
  const deadline = num(o, NO_PROGRESS_DEADLINE, 'spec', 'progressDeadlineSeconds');
  const rolledOut = progressing?.status === 'True' && progressing.reason === 'NewReplicaSetAvailable';
  if (deadline !== NO_PROGRESS_DEADLINE && !rolledOut) return notReady('ReplicaSetNotAvailable', progressing?.message);
  const availableCond = condition(o, 'Available');
  if (availableCond?.status !== 'True') return notReady('DeploymentNotAvailable', availableCond?.message);
  return ready('Available');
}

/** A StatefulSet as kstatus computes it (its controller sets no conditions: counts and revisions only). */
export function statefulSet(o: KubeObject): Readiness {
  // OnDelete never rolls pods by itself, so there is no rollout to wait for.
  if (str(o, 'spec', 'updateStrategy', 'type') === 'OnDelete') return ready('Ready', 'updateStrategy OnDelete');
  const desired = num(o, 1, 'spec', 'replicas');
  const total = num(o, 0, 'status', 'replicas');
  const readyCount = num(o, 0, 'status', 'readyReplicas');
  const updated = num(o, 0, 'status', 'updatedReplicas');
  const current = num(o, 0, 'status', 'currentReplicas');
  if (total < desired) return notReady(`${total}/${desired} replicas created`);
  if (readyCount < desired) return notReady(`${readyCount}/${desired} replicas ready`);
  if (total > desired) return notReady(`${total - desired} extra replicas pending termination`);
  const partition = num(o, -1, 'spec', 'updateStrategy', 'rollingUpdate', 'partition');
  if (partition >= 0) {
    const expected = desired - partition;
    if (updated < expected) return notReady(`${updated}/${expected} replicas updated`);
    return ready(partition > 0 ? 'Partition rolled out' : 'Ready');
  }
  if (current < desired) return notReady(`${current}/${desired} replicas current`);
  const currentRevision = str(o, 'status', 'currentRevision') ?? '';
  const updateRevision = str(o, 'status', 'updateRevision') ?? '';
  if (currentRevision !== updateRevision) {
    return notReady(`${updated}/${desired} replicas updated`, `revision ${currentRevision} → ${updateRevision}`);
  }
  return ready('Ready');
}

/** A DaemonSet as kstatus computes it: every scheduled pod updated, available and ready. */
export function daemonSet(o: KubeObject): Readiness {
  const desired = num(o, -1, 'status', 'desiredNumberScheduled');
  if (desired < 0) return notReady('waiting for controller', 'status.desiredNumberScheduled is not set yet');
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

/** A ReplicaSet as kstatus computes it. */
export function replicaSet(o: KubeObject): Readiness {
  if (isTrue(o, 'ReplicaFailure')) return notReady('ReplicaFailure', replicaFailure(o));
  const desired = num(o, 1, 'spec', 'replicas');
  const total = num(o, 0, 'status', 'replicas');
  const labeled = num(o, 0, 'status', 'fullyLabeledReplicas');
  const available = num(o, 0, 'status', 'availableReplicas');
  const readyCount = num(o, 0, 'status', 'readyReplicas');
  if (labeled < desired) return notReady(`${labeled}/${desired} replicas labeled`);
  if (available < desired) return notReady(`${available}/${desired} replicas available`);
  if (readyCount < desired) return notReady(`${readyCount}/${desired} replicas ready`);
  if (total > desired) return notReady(`${total - desired} extra replicas pending termination`);
  return ready('Ready');
}

/**
 * A Job is ready once Complete (as Helm 4 waits for Jobs) and failed once Failed; a suspended one is ready as
 * kstatus has it, since nothing runs until someone resumes it.
 */
export function job(o: KubeObject): Readiness {
  // FailureTarget precedes Failed while pods are still being terminated (Kubernetes ≥ 1.31).
  const failedCond = [condition(o, 'Failed'), condition(o, 'FailureTarget')].find((c) => c?.status === 'True');
  if (failedCond) return failed(failedCond.reason || 'Failed', failedCond.message);
  if (isTrue(o, 'Complete')) return ready('Complete');
  const suspend = field(o, 'spec', 'suspend') === true;
  if (suspend && isTrue(o, 'Suspended')) {
    return ready('Suspended', 'spec.suspend is true: it runs once resumed, not waited for');
  }
  if (suspend) return notReady('Suspending', 'the Job controller has not suspended it yet');
  if (isTrue(o, 'Suspended')) return notReady('Resuming', 'the Job controller has not resumed it yet');
  const succeeded = num(o, 0, 'status', 'succeeded');
  const active = num(o, 0, 'status', 'active');
  const failures = num(o, 0, 'status', 'failed');
  return notReady('Running', `${succeeded} succeeded, ${active} active, ${failures} failed`);
}
