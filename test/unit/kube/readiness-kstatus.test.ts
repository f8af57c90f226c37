// kstatus's own test cases (sigs.k8s.io/cli-utils pkg/kstatus/status: *_test.go), ported as data: each row is the
// object kstatus tests, the status kstatus computes, and kc's verdict where kc deliberately differs (with why).
import { describe, expect, test } from '@jest/globals';
import { readinessOf } from '../../../src/kube/readiness.js';
import type { KubeObject } from '../../../src/kube/types.js';

type KStatus = 'Current' | 'InProgress' | 'Failed' | 'Terminating';
type Row = [name: string, object: KubeObject, kstatus: KStatus, kc?: { is: KStatus; why: string }];

const meta = { name: 'test', namespace: 'qual', generation: 1 };
type Fields = Record<string, unknown>;
const o = (apiVersion: string, kind: string, rest: Fields = {}, metadata: Fields = {}): KubeObject => ({
  apiVersion,
  kind,
  metadata: { ...meta, ...metadata },
  ...rest,
});
const withStatus = (status?: Fields) => (status ? { status } : {});
const withReplicas = (replicas?: number) => (replicas === undefined ? {} : { spec: { replicas } });
const c = (type: string, status: string, reason?: string) => ({ type, status, ...(reason ? { reason } : {}) });
const pod = (status?: Fields, metadata: Fields = {}) => o('v1', 'Pod', withStatus(status), metadata);
const sts = (status?: Record<string, unknown>, replicas?: number) =>
  o('apps/v1', 'StatefulSet', { ...withReplicas(replicas), ...withStatus(status) });
const ds = (status?: Fields, generation = 1) => o('apps/v1', 'DaemonSet', withStatus(status), { generation });
const dsCounts = (desired: number, current: number, updated: number, available: number, readyCount: number) => ({
  desiredNumberScheduled: desired,
  currentNumberScheduled: current,
  updatedNumberScheduled: updated,
  numberAvailable: available,
  numberReady: readyCount,
  observedGeneration: 1,
});
const depCounts = { observedGeneration: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, replicas: 1 };
const dep = (status?: Record<string, unknown>, spec?: Record<string, unknown>) =>
  o('apps/v1', 'Deployment', { ...(spec ? { spec } : {}), ...(status ? { status } : {}) });
const rs = (status?: Record<string, unknown>, replicas?: number) =>
  o('apps/v1', 'ReplicaSet', { ...withReplicas(replicas), ...withStatus(status) });
const rsCounts = (total: number, readyCount: number, available: number, labeled: number, conditions?: unknown[]) => ({
  observedGeneration: 1,
  replicas: total,
  readyReplicas: readyCount,
  availableReplicas: available,
  fullyLabeledReplicas: labeled,
  ...(conditions ? { conditions } : {}),
});
const cr = (status?: Fields, generation = 1) => o('something/v1', 'MyCR', withStatus(status), { generation });
const job = (spec?: Record<string, unknown>, status?: Record<string, unknown>) =>
  o('batch/v1', 'Job', { ...(spec ? { spec } : {}), ...(status ? { status } : {}) });
const svc = (spec?: Record<string, unknown>) => o('v1', 'Service', spec ? { spec } : {});
const crd = (conditions?: unknown[]) =>
  o('apiextensions.k8s.io/v1', 'CustomResourceDefinition', withStatus(conditions && { conditions }), { namespace: '' });
const justCreated = new Date().toISOString();
const unschedulable = c('PodScheduled', 'False', 'Unschedulable');

const rows: Row[] = [
  // TestPodStatus
  ['podNoStatus', pod(), 'InProgress'],
  ['podReady', pod({ conditions: [c('Ready', 'True')], phase: 'Running' }), 'Current'],
  [
    'podCompletedSuccessfully',
    pod({ phase: 'Succeeded', conditions: [c('Ready', 'False', 'PodCompleted')] }),
    'Current',
  ],
  [
    'podCompletedFailed',
    pod({ phase: 'Failed', conditions: [c('Ready', 'False', 'PodCompleted')] }),
    'Current',
    { is: 'Failed', why: 'a failed pod will not run again; Helm 4 reads it as Failed too' },
  ],
  [
    'podBeingScheduled',
    pod({ phase: 'Pending', conditions: [unschedulable] }, { creationTimestamp: justCreated }),
    'InProgress',
  ],
  [
    'podUnschedulable',
    pod({ phase: 'Pending', conditions: [unschedulable] }),
    'Failed',
    { is: 'InProgress', why: 'a cluster autoscaler may still add a node; the timeout names the scheduler verdict' },
  ],
  [
    'podCrashLooping',
    pod({
      phase: 'Running',
      conditions: [c('PodScheduled', 'False', 'Unschedulable')],
      containerStatuses: [{ name: 'nginx', state: { waiting: { reason: 'CrashLoopBackOff' } } }],
    }),
    'Failed',
  ],
  // TestPVCStatus
  ['pvcNoStatus', o('v1', 'PersistentVolumeClaim'), 'InProgress'],
  ['pvcBound', o('v1', 'PersistentVolumeClaim', { status: { phase: 'Bound' } }), 'Current'],
  // TestStsStatus
  ['stsNoStatus', sts(), 'InProgress'],
  ['stsBadStatus', sts({ observedGeneration: 1, currentReplicas: 1 }), 'InProgress'],
  ['stsOK', sts({ observedGeneration: 1, currentReplicas: 4, readyReplicas: 4, replicas: 4 }, 4), 'Current'],
  ['stsLessReady', sts({ observedGeneration: 1, currentReplicas: 4, readyReplicas: 2, replicas: 4 }, 4), 'InProgress'],
  [
    'stsLessCurrent',
    sts({ observedGeneration: 1, currentReplicas: 2, readyReplicas: 4, replicas: 4 }, 4),
    'InProgress',
  ],
  ['stsExtraPods', sts({ observedGeneration: 1, currentReplicas: 4, readyReplicas: 4, replicas: 8 }, 4), 'InProgress'],
  // TestDaemonsetStatus
  ['dsNoStatus', ds(), 'InProgress'],
  ['dsBadStatus', ds({ observedGeneration: 1, currentReplicas: 1 }), 'InProgress'],
  ['dsOK', ds(dsCounts(4, 4, 4, 4, 4)), 'Current'],
  ['dsLessReady', ds(dsCounts(4, 4, 4, 4, 2)), 'InProgress'],
  ['dsDifferentGeneration', ds(dsCounts(4, 4, 4, 4, 4), 2), 'InProgress'],
  ['dsLessAvailable', ds(dsCounts(4, 4, 4, 2, 4)), 'InProgress'],
  // TestDeploymentStatus
  ['depNoStatus', dep(), 'InProgress'],
  [
    'depOK',
    dep({ ...depCounts, conditions: [c('Progressing', 'True', 'NewReplicaSetAvailable'), c('Available', 'True')] }),
    'Current',
  ],
  [
    'depNotProgressing',
    dep(
      { ...depCounts, conditions: [c('Progressing', 'False', 'Some reason'), c('Available', 'True')] },
      { progressDeadlineSeconds: 45 },
    ),
    'InProgress',
  ],
  ['depNoProgressDeadlineSeconds', dep({ ...depCounts, conditions: [c('Available', 'True')] }), 'Current'],
  [
    'depNotAvailable',
    dep({ ...depCounts, conditions: [c('Progressing', 'True', 'NewReplicaSetAvailable'), c('Available', 'False')] }),
    'InProgress',
  ],
  // TestReplicasetStatus
  ['rsNoStatus', rs(), 'InProgress'],
  ['rsOK1', rs(rsCounts(2, 2, 2, 2, [c('ReplicaFailure', 'False')]), 2), 'Current'],
  ['rsOK2', rs(rsCounts(2, 2, 2, 2), 2), 'Current'],
  ['rsLessAvailable', rs(rsCounts(4, 4, 2, 4), 4), 'InProgress'],
  ['rsLessReady', rs(rsCounts(4, 2, 4, 4), 4), 'InProgress'],
  ['rsReplicaFailure', rs(rsCounts(4, 4, 4, 4, [c('ReplicaFailure', 'True')]), 4), 'InProgress'],
  // TestPDBStatus
  [
    'pdbNotObserved',
    o('policy/v1', 'PodDisruptionBudget', { status: { observedGeneration: 1 } }, { generation: 2 }),
    'InProgress',
  ],
  ['pdbObserved', o('policy/v1', 'PodDisruptionBudget', { status: { observedGeneration: 1 } }), 'Current'],
  // TestCRDGenericStatus
  ['crdNoStatus', cr(), 'Current'],
  ['crdReady', cr({ conditions: [{ ...c('Ready', 'True', 'AllOk'), message: 'All looks ok' }] }), 'Current'],
  ['crdNotReady', cr({ observedGeneration: 1, conditions: [c('Ready', 'False', 'NotReadyYet')] }), 'InProgress'],
  ['crdNoCondition', cr({ conditions: [c('SomeCondition', 'False')] }), 'Current'],
  ['crdMismatchStatusGeneration', cr({ observedGeneration: 1 }, 2), 'InProgress'],
  // TestJobStatus
  ['jobNoStatus', job(), 'InProgress'],
  ['jobComplete', job(undefined, { succeeded: 1, active: 0, conditions: [c('Complete', 'True')] }), 'Current'],
  [
    'jobFailed',
    job({ completions: 4 }, { succeeded: 3, failed: 1, conditions: [c('Failed', 'True', 'JobFailed')] }),
    'Failed',
  ],
  [
    'jobInProgress',
    job(
      { completions: 10, parallelism: 2 },
      {
        ...{ startTime: '2019-06-04T01:17:13Z', succeeded: 3, failed: 1, active: 2 },
        conditions: [c('Failed', 'False'), c('Complete', 'False')],
      },
    ),
    'Current',
    { is: 'InProgress', why: 'kc waits for a Job to complete, as Helm 4 does with --wait-for-jobs' },
  ],
  // core_test.go: suspended Jobs
  ['TestSuspendedJobConditions', job({ suspend: true }, { conditions: [c('Suspended', 'True')] }), 'Current'],
  [
    'TestPreviouslySuspendedJobConditions',
    job({ suspend: false }, { conditions: [c('Suspended', 'False')] }),
    'InProgress',
  ],
  [
    'TestSuspendedJobTransitionConditions: to suspended',
    job({ suspend: true }, { conditions: [c('Suspended', 'False')] }),
    'InProgress',
  ],
  [
    'TestSuspendedJobTransitionConditions: from suspended',
    job({ suspend: false }, { conditions: [c('Suspended', 'True')] }),
    'InProgress',
  ],
  // TestCronJobStatus
  ['cronjobNoStatus', o('batch/v1', 'CronJob'), 'Current'],
  ['cronjobWithStatus', o('batch/v1', 'CronJob', { status: null }), 'Current'],
  // TestServiceStatus
  ['serviceDefault', svc(), 'Current'],
  ['serviceNodePort', svc({ type: 'NodePort' }), 'Current'],
  ['serviceLBnok', svc({ type: 'LoadBalancer' }), 'InProgress'],
  ['serviceLBok', svc({ type: 'LoadBalancer', clusterIP: '1.2.3.4' }), 'Current'],
  // TestCRDStatus
  ['crdNoConditions', crd(), 'InProgress'],
  [
    'crdInstalling',
    crd([c('NamesAccepted', 'True', 'NoConflicts'), c('Established', 'False', 'Installing')]),
    'InProgress',
  ],
  ['crdNamesNotAccepted', crd([c('NamesAccepted', 'False', 'SomeReason')]), 'Failed'],
  [
    'crdEstablished',
    crd([c('NamesAccepted', 'True', 'NoConflicts'), c('Established', 'True', 'InitialNamesAccepted')]),
    'Current',
  ],
  // TestAugmentConditions (and generic.go): the standard conditions decide on any kind
  ['augment: running pod, no conditions', pod({ phase: 'Running' }), 'InProgress'],
  [
    'augment: running pod, Ready=False',
    pod({ phase: 'Running', conditions: [c('Ready', 'False', 'Pod has not started')] }),
    'InProgress',
  ],
  [
    'augment: pod with Reconciling=True',
    pod({ phase: 'Running', conditions: [c('Reconciling', 'True', 'PodIsAbsolutelyNotReady')] }),
    'InProgress',
  ],
  [
    'augment: pod with Stalled=True',
    pod({ phase: 'Running', conditions: [c('Stalled', 'True', 'PodHasFailed')] }),
    'Failed',
  ],
  ['augment: custom resource, no conditions', o('v1beta1', 'SomeCustomKind'), 'Current'],
  [
    'augment: custom resource, Reconciling=True',
    o('v1beta1', 'SomeCustomKind', { status: { conditions: [c('Reconciling', 'True', 'Working')] } }),
    'InProgress',
  ],
  [
    'augment: custom resource, Stalled=True',
    o('v1beta1', 'SomeCustomKind', { status: { conditions: [c('Stalled', 'True', 'Broken')] } }),
    'Failed',
  ],
  ['generic: deletionTimestamp set', cr({ conditions: [c('Ready', 'True')] }), 'Current'],
];

// generic.go: an object scheduled for deletion is Terminating whatever its status says.
const deleting: Row[] = rows
  .filter(([, , status]) => status === 'Current')
  .map(([name, object]) => {
    const metadata = { ...object.metadata, deletionTimestamp: '2026-12-06T00:00:00Z' };
    return [`${name}, being deleted`, { ...object, metadata }, 'Terminating'];
  });

function verdict(object: KubeObject): KStatus {
  const r = readinessOf(object);
  if (r.ready) return 'Current';
  if (r.failed) return 'Failed';
  return r.reason === 'being deleted' ? 'Terminating' : 'InProgress';
}

describe('readinessOf agrees with kstatus', () => {
  test('every ported case is here', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
    expect(deleting.length).toBeGreaterThanOrEqual(20);
  });

  const cases = [...rows, ...deleting].map(([name, object, kstatus, kc]) => ({
    name,
    object,
    expected: kc ? kc.is : kstatus,
  }));
  test.each(cases)('$name', ({ object, expected }) => {
    expect(verdict(object)).toBe(expected);
  });

  test('kc differs from kstatus in few cases, each with a reason', () => {
    const differing = rows.filter((r) => r[3]);
    expect(differing.map((r) => r[0])).toEqual(['podCompletedFailed', 'podUnschedulable', 'jobInProgress']);
    for (const row of differing) expect(row[3]!.why.length).toBeGreaterThan(20);
  });
});
