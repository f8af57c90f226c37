import { describe, expect, test } from '@jest/globals';
import { readinessOf, type Readiness } from '../../../src/kube/readiness.js';
import type { KubeObject } from '../../../src/kube/types.js';

const cond = (type: string, status: string, reason?: string, message?: string) => ({
  type,
  status,
  lastTransitionTime: '2025-01-01T00:00:00Z',
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
});

function obj(apiVersion: string, kind: string, rest: Partial<KubeObject> = {}, generation = 1): KubeObject {
  return { apiVersion, kind, ...rest, metadata: { name: 'x', namespace: 'ns', generation, ...(rest.metadata ?? {}) } };
}

const deploymentStatus = (s: Record<string, number>, conditions: unknown[] = []) => ({
  observedGeneration: 1,
  ...s,
  conditions: [
    cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'),
    cond('Progressing', 'True', 'NewReplicaSetAvailable', 'ReplicaSet "web-5d4f" has successfully progressed.'),
    ...conditions,
  ],
});

const deploy = (replicas: number | undefined, status: unknown, generation = 1, extra: Record<string, unknown> = {}) =>
  obj(
    'apps/v1',
    'Deployment',
    {
      spec: { ...(replicas === undefined ? {} : { replicas }), selector: { matchLabels: { app: 'web' } }, ...extra },
      status,
    },
    generation,
  );

const sts = (spec: Record<string, unknown>, status: Record<string, unknown>, generation = 1) =>
  obj(
    'apps/v1',
    'StatefulSet',
    { spec: { serviceName: 'db', ...spec }, status: { observedGeneration: 1, ...status } },
    generation,
  );

const ds = (status: Record<string, unknown>) =>
  obj('apps/v1', 'DaemonSet', { spec: {}, status: { observedGeneration: 1, ...status } });

const podOf = (status: Record<string, unknown>) =>
  obj('v1', 'Pod', { spec: { containers: [{ name: 'app', image: 'nginx' }] }, status });

const deleting = (o: KubeObject): KubeObject => ({
  ...o,
  metadata: { ...o.metadata, deletionTimestamp: '2026-12-06T01:02:03Z' },
});

const unschedulableMsg = "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.";

type Row = [string, KubeObject, Partial<Readiness> & { ready: boolean }];

const rows: Row[] = [
  // Deployments
  [
    'deployment available',
    deploy(3, deploymentStatus({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 })),
    { ready: true, reason: 'Available' },
  ],
  [
    'deployment default replicas is 1',
    deploy(undefined, deploymentStatus({ replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 })),
    { ready: true },
  ],
  ['deployment scaled to zero', deploy(0, deploymentStatus({})), { ready: true, reason: 'Available' }],
  [
    'deployment generation lag',
    deploy(3, deploymentStatus({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 }), 2),
    { ready: false, reason: 'Pending', message: 'generation 2 not observed yet (observed 1)' },
  ],
  ['deployment without status yet', deploy(1, undefined), { ready: false, reason: 'waiting for controller' }],
  [
    'deployment rollout: 1/3 updated',
    deploy(3, deploymentStatus({ replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3 })),
    { ready: false, reason: '1/3 replicas updated' },
  ],
  [
    'deployment rollout: old replicas remain',
    deploy(3, deploymentStatus({ replicas: 4, updatedReplicas: 3, readyReplicas: 4, availableReplicas: 4 })),
    { ready: false, reason: '1 old replicas pending termination' },
  ],
  [
    'deployment rollout: new pods not available',
    deploy(1, deploymentStatus({ replicas: 1, updatedReplicas: 1, unavailableReplicas: 1 })),
    { ready: false, reason: '0/1 replicas available' },
  ],
  [
    'deployment quota failure carries the message',
    deploy(
      1,
      deploymentStatus(
        {},
        [cond('ReplicaFailure', 'True', 'FailedCreate', 'pods "web-1" is forbidden: exceeded quota')],
      ),
    ),
    { ready: false, reason: '0/1 replicas created', message: 'pods "web-1" is forbidden: exceeded quota' },
  ],
  [
    'deployment progress deadline exceeded',
    deploy(
      1,
      {
        observedGeneration: 1,
        replicas: 1,
        updatedReplicas: 1,
        unavailableReplicas: 1,
        conditions: [
          cond('Available', 'False', 'MinimumReplicasUnavailable'),
          cond('Progressing', 'False', 'ProgressDeadlineExceeded', 'ReplicaSet "web-5d4f" has timed out progressing.'),
        ],
      },
    ),
    {
      ready: false,
      failed: true,
      reason: 'ProgressDeadlineExceeded',
      message: 'ReplicaSet "web-5d4f" has timed out progressing.',
    },
  ],
  [
    'deployment paused',
    deploy(2, deploymentStatus({ replicas: 2, updatedReplicas: 1 }), 1, { paused: true }),
    { ready: true, reason: 'Paused' },
  ],
  [
    'deployment past its deadline, then changed: the new generation decides',
    deploy(
      1,
      { observedGeneration: 1, conditions: [cond('Progressing', 'False', 'ProgressDeadlineExceeded', 'timed out')] },
      2,
    ),
    { ready: false, reason: 'Pending' },
  ],
  [
    'deployment counts done, new ReplicaSet not yet reported available',
    deploy(
      1,
      {
        observedGeneration: 1,
        replicas: 1,
        updatedReplicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
        conditions: [cond('Available', 'True'), cond('Progressing', 'True', 'ReplicaSetUpdated')],
      },
      1,
      { progressDeadlineSeconds: 600 },
    ),
    { ready: false, reason: 'ReplicaSetNotAvailable' },
  ],
  [
    'deployment counts done, Available=False',
    deploy(
      1,
      {
        observedGeneration: 1,
        replicas: 1,
        updatedReplicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
        conditions: [
          cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'),
        ],
      },
    ),
    { ready: false, reason: 'DeploymentNotAvailable', message: 'Deployment does not have minimum availability.' },
  ],
  [
    'deployment Stalled=True (kstatus condition on any kind)',
    deploy(1, deploymentStatus({}, [cond('Stalled', 'True', 'Quota', 'no quota left')])),
    { ready: false, failed: true, reason: 'Quota' },
  ],
  [
    'deployment Reconciling=True',
    deploy(
      1,
      deploymentStatus(
        { replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 },
        [cond('Reconciling', 'True', 'Rolling')],
      ),
    ),
    { ready: false, reason: 'Rolling' },
  ],
  // StatefulSets
  [
    'statefulset ready',
    sts(
      { replicas: 3 },
      {
        replicas: 3,
        readyReplicas: 3,
        currentReplicas: 3,
        updatedReplicas: 3,
        currentRevision: 'db-1',
        updateRevision: 'db-1',
      },
    ),
    { ready: true, reason: 'Ready' },
  ],
  [
    'statefulset 1/3 ready',
    sts({ replicas: 3 }, { replicas: 2, readyReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-1' }),
    { ready: false, reason: '2/3 replicas created' },
  ],
  [
    'statefulset pods created, not ready',
    sts({ replicas: 3 }, { replicas: 3, readyReplicas: 2, currentRevision: 'db-1', updateRevision: 'db-1' }),
    { ready: false, reason: '2/3 replicas ready' },
  ],
  [
    'statefulset rolling update in progress',
    sts(
      { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
      {
        replicas: 3,
        readyReplicas: 3,
        currentReplicas: 2,
        updatedReplicas: 1,
        currentRevision: 'db-1',
        updateRevision: 'db-2',
      },
    ),
    { ready: false, reason: '1/3 replicas updated' },
  ],
  [
    'statefulset without partition: revisions differ',
    sts(
      { replicas: 3 },
      {
        replicas: 3,
        readyReplicas: 3,
        currentReplicas: 3,
        updatedReplicas: 1,
        currentRevision: 'db-1',
        updateRevision: 'db-2',
      },
    ),
    { ready: false, reason: '1/3 replicas updated', message: 'revision db-1 → db-2' },
  ],
  [
    'statefulset without partition: replicas not current',
    sts(
      { replicas: 3 },
      {
        replicas: 3,
        readyReplicas: 3,
        currentReplicas: 1,
        updatedReplicas: 2,
        currentRevision: 'db-1',
        updateRevision: 'db-2',
      },
    ),
    { ready: false, reason: '1/3 replicas current' },
  ],
  [
    'statefulset OnDelete ignores revisions',
    sts(
      { replicas: 2, updateStrategy: { type: 'OnDelete' } },
      { replicas: 2, readyReplicas: 2, currentRevision: 'db-1', updateRevision: 'db-2' },
    ),
    { ready: true },
  ],
  [
    'statefulset partition rolled out',
    sts(
      { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } },
      { replicas: 3, readyReplicas: 3, updatedReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-2' },
    ),
    { ready: true, reason: 'Partition rolled out' },
  ],
  [
    'statefulset generation lag',
    sts({ replicas: 1 }, { replicas: 1, readyReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-1' }, 3),
    { ready: false, reason: 'Pending' },
  ],
  // DaemonSets and ReplicaSets
  [
    'daemonset ready',
    ds(
      {
        desiredNumberScheduled: 2,
        currentNumberScheduled: 2,
        updatedNumberScheduled: 2,
        numberAvailable: 2,
        numberReady: 2,
      },
    ),
    { ready: true },
  ],
  [
    'daemonset rolling',
    ds(
      {
        desiredNumberScheduled: 3,
        currentNumberScheduled: 3,
        updatedNumberScheduled: 1,
        numberAvailable: 3,
        numberReady: 3,
      },
    ),
    { ready: false, reason: '1/3 pods updated' },
  ],
  [
    'daemonset not ready',
    ds(
      {
        desiredNumberScheduled: 2,
        currentNumberScheduled: 2,
        updatedNumberScheduled: 2,
        numberAvailable: 2,
        numberReady: 1,
      },
    ),
    { ready: false, reason: '1/2 pods ready' },
  ],
  [
    'daemonset on no nodes',
    ds({ desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 }),
    { ready: true },
  ],
  [
    'replicaset ready',
    obj(
      'apps/v1',
      'ReplicaSet',
      {
        spec: { replicas: 2 },
        status: { observedGeneration: 1, replicas: 2, readyReplicas: 2, availableReplicas: 2, fullyLabeledReplicas: 2 },
      },
    ),
    { ready: true },
  ],
  [
    'replicaset short',
    obj(
      'apps/v1',
      'ReplicaSet',
      {
        spec: { replicas: 2 },
        status: { observedGeneration: 1, replicas: 2, readyReplicas: 1, availableReplicas: 2, fullyLabeledReplicas: 2 },
      },
    ),
    { ready: false, reason: '1/2 replicas ready' },
  ],
  [
    'replicaset not labeled',
    obj(
      'apps/v1',
      'ReplicaSet',
      {
        spec: { replicas: 2 },
        status: { observedGeneration: 1, replicas: 2, readyReplicas: 2, availableReplicas: 2, fullyLabeledReplicas: 1 },
      },
    ),
    { ready: false, reason: '1/2 replicas labeled' },
  ],
  [
    'replicaset ReplicaFailure',
    obj(
      'apps/v1',
      'ReplicaSet',
      {
        spec: { replicas: 2 },
        status: {
          observedGeneration: 1,
          conditions: [cond('ReplicaFailure', 'True', 'FailedCreate', 'exceeded quota')],
        },
      },
    ),
    { ready: false, reason: 'ReplicaFailure', message: 'exceeded quota' },
  ],
  // Jobs
  [
    'job complete',
    obj(
      'batch/v1',
      'Job',
      {
        spec: {},
        status: { succeeded: 1, conditions: [cond('SuccessCriteriaMet', 'True'), cond('Complete', 'True')] },
      },
    ),
    { ready: true, reason: 'Complete' },
  ],
  [
    'job running',
    obj('batch/v1', 'Job', { spec: {}, status: { active: 1, failed: 2 } }),
    { ready: false, reason: 'Running', message: '0 succeeded, 1 active, 2 failed' },
  ],
  [
    'job failed',
    obj(
      'batch/v1',
      'Job',
      {
        spec: {},
        status: {
          failed: 7,
          conditions: [cond('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')],
        },
      },
    ),
    {
      ready: false,
      failed: true,
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    },
  ],
  [
    'job failure target',
    obj(
      'batch/v1',
      'Job',
      {
        spec: {},
        status: {
          failed: 1,
          conditions: [
            cond('FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline'),
          ],
        },
      },
    ),
    { ready: false, failed: true, reason: 'DeadlineExceeded' },
  ],
  [
    'job suspended is reported, not waited for',
    obj(
      'batch/v1',
      'Job',
      { spec: { suspend: true }, status: { conditions: [cond('Suspended', 'True', 'JobSuspended', 'Job suspended')] } },
    ),
    { ready: true, reason: 'Suspended', message: 'spec.suspend is true: it runs once resumed, not waited for' },
  ],
  [
    'job being suspended',
    obj('batch/v1', 'Job', { spec: { suspend: true }, status: {} }),
    { ready: false, reason: 'Suspending' },
  ],
  [
    'job being resumed',
    obj(
      'batch/v1',
      'Job',
      { spec: { suspend: false }, status: { conditions: [cond('Suspended', 'True', 'JobSuspended')] } },
    ),
    { ready: false, reason: 'Resuming' },
  ],
  // Pods
  [
    'pod running and ready',
    podOf(
      {
        phase: 'Running',
        conditions: [cond('PodScheduled', 'True'), cond('Ready', 'True')],
        containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }],
      },
    ),
    { ready: true, reason: 'Running' },
  ],
  ['pod succeeded', podOf({ phase: 'Succeeded' }), { ready: true, reason: 'Succeeded' }],
  [
    'pod failed',
    podOf(
      {
        phase: 'Failed',
        containerStatuses: [{ name: 'app', ready: false, state: { terminated: { exitCode: 2, reason: 'Error' } } }],
      },
    ),
    { ready: false, failed: true, reason: 'Failed', message: 'container app exited with code 2 (Error)' },
  ],
  [
    'pod evicted',
    podOf({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }),
    { ready: false, failed: true, reason: 'Evicted', message: 'The node was low on resource: memory.' },
  ],
  [
    'pod unschedulable',
    podOf({ phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'Unschedulable', unschedulableMsg)] }),
    { ready: false, reason: 'Unschedulable', message: unschedulableMsg },
  ],
  [
    'pod image pull backoff',
    podOf(
      {
        phase: 'Pending',
        conditions: [cond('PodScheduled', 'True')],
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:nope"' } },
          },
        ],
      },
    ),
    {
      ready: false,
      failed: true,
      reason: 'ImagePullBackOff',
      message: 'container app: Back-off pulling image "nginx:nope"',
    },
  ],
  [
    'pod crash looping is terminal (kstatus: Failed)',
    podOf(
      {
        phase: 'Running',
        conditions: [cond('Ready', 'False', 'ContainersNotReady')],
        containerStatuses: [{ name: 'app', ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      },
    ),
    { ready: false, failed: true, reason: 'CrashLoopBackOff', message: 'container app' },
  ],
  [
    'pod init container crash looping',
    podOf(
      {
        phase: 'Pending',
        conditions: [cond('PodScheduled', 'True')],
        initContainerStatuses: [
          {
            name: 'migrate',
            ready: false,
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container' } },
          },
        ],
      },
    ),
    {
      ready: false,
      failed: true,
      reason: 'CrashLoopBackOff',
      message: 'container migrate: back-off 20s restarting failed container',
    },
  ],
  [
    'pod ErrImagePull',
    podOf(
      {
        phase: 'Pending',
        containerStatuses: [
          { name: 'app', state: { waiting: { reason: 'ErrImagePull', message: 'manifest unknown' } } },
        ],
      },
    ),
    { ready: false, failed: true, reason: 'ErrImagePull', message: 'container app: manifest unknown' },
  ],
  [
    'pod CreateContainerConfigError',
    podOf(
      {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'app',
            state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "db" not found' } },
          },
        ],
      },
    ),
    {
      ready: false,
      failed: true,
      reason: 'CreateContainerConfigError',
      message: 'container app: secret "db" not found',
    },
  ],
  [
    'pod ContainerCreating is not terminal',
    podOf(
      { phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }] },
    ),
    { ready: false, reason: 'ContainerCreating' },
  ],
  [
    'pod ready while a sidecar restarts',
    podOf(
      {
        phase: 'Running',
        conditions: [cond('Ready', 'True')],
        containerStatuses: [
          { name: 'app', ready: true, state: { running: {} } },
          { name: 'log', ready: true, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      },
    ),
    { ready: true, reason: 'Running' },
  ],
  [
    'pod running, probe failing',
    podOf(
      {
        phase: 'Running',
        conditions: [cond('Ready', 'False', 'ContainersNotReady', 'containers with unready status: [app]')],
        containerStatuses: [{ name: 'app', ready: false, state: { running: {} } }],
      },
    ),
    { ready: false, reason: '0/1 containers ready', message: 'containers with unready status: [app]' },
  ],
  ['pod without status', podOf({}), { ready: false, reason: 'Pending' }],
  // Storage
  [
    'pvc bound',
    obj('v1', 'PersistentVolumeClaim', { spec: {}, status: { phase: 'Bound' } }),
    { ready: true, reason: 'Bound' },
  ],
  [
    'pvc pending',
    obj('v1', 'PersistentVolumeClaim', { spec: {}, status: { phase: 'Pending' } }),
    { ready: false, reason: 'Pending' },
  ],
  [
    'pvc lost',
    obj('v1', 'PersistentVolumeClaim', { spec: {}, status: { phase: 'Lost' } }),
    { ready: false, failed: true, reason: 'Lost' },
  ],
  [
    'pv available',
    obj('v1', 'PersistentVolume', { spec: {}, status: { phase: 'Available' } }),
    { ready: true, reason: 'Available' },
  ],
  [
    'pv released',
    obj('v1', 'PersistentVolume', { spec: {}, status: { phase: 'Released' } }),
    { ready: false, reason: 'Released' },
  ],
  // Services
  [
    'service ClusterIP',
    obj('v1', 'Service', { spec: { type: 'ClusterIP', clusterIP: '10.0.0.1' }, status: { loadBalancer: {} } }),
    { ready: true },
  ],
  [
    'service LoadBalancer without cluster IP',
    obj('v1', 'Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: {} } }),
    { ready: false, reason: 'NoIPAssigned' },
  ],
  [
    'service LoadBalancer without address is reported, not waited for',
    obj('v1', 'Service', { spec: { type: 'LoadBalancer', clusterIP: '10.0.0.2' }, status: { loadBalancer: {} } }),
    {
      ready: true,
      reason: 'no load balancer address',
      message: 'status.loadBalancer.ingress is empty; not waited for',
    },
  ],
  [
    'service LoadBalancer with ingress',
    obj(
      'v1',
      'Service',
      {
        spec: { type: 'LoadBalancer', clusterIP: '10.0.0.2' },
        status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } },
      },
    ),
    { ready: true, reason: 'Ready' },
  ],
  [
    'service LoadBalancer with external IPs',
    obj(
      'v1',
      'Service',
      {
        spec: { type: 'LoadBalancer', clusterIP: '10.0.0.2', externalIPs: ['198.51.100.1'] },
        status: { loadBalancer: {} },
      },
    ),
    { ready: true, reason: 'Ready' },
  ],
  // CRDs
  [
    'crd established',
    obj(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      { spec: {}, status: { conditions: [cond('NamesAccepted', 'True'), cond('Established', 'True')] } },
    ),
    { ready: true, reason: 'Established' },
  ],
  [
    'crd not yet established',
    obj(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      {
        spec: {},
        status: {
          conditions: [
            cond('NamesAccepted', 'True'),
            cond('Established', 'False', 'Installing', 'the initial names have not been accepted'),
          ],
        },
      },
    ),
    { ready: false, reason: 'Installing' },
  ],
  [
    'crd refused otherwise',
    obj(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      { spec: {}, status: { conditions: [cond('Established', 'False', 'NotAccepted', 'not all names are accepted')] } },
    ),
    { ready: false, failed: true, reason: 'NotAccepted' },
  ],
  [
    'crd names rejected',
    obj(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      {
        spec: {},
        status: {
          conditions: [
            cond('NamesAccepted', 'False', 'MultipleNamesNotAllowed', '"widgets" is already in use'),
            cond('Established', 'False'),
          ],
        },
      },
    ),
    { ready: false, failed: true, reason: 'MultipleNamesNotAllowed', message: '"widgets" is already in use' },
  ],
  // Custom resources
  [
    'CR Ready=True',
    obj(
      'cert-manager.io/v1',
      'Certificate',
      { spec: {}, status: { conditions: [cond('Ready', 'True', 'Ready', 'Certificate is up to date')] } },
    ),
    { ready: true, reason: 'Ready' },
  ],
  [
    'CR Ready=False',
    obj(
      'cert-manager.io/v1',
      'Certificate',
      { spec: {}, status: { conditions: [cond('Ready', 'False', 'DoesNotExist', 'Issuer "letsencrypt" not found')] } },
    ),
    { ready: false, reason: 'DoesNotExist', message: 'Issuer "letsencrypt" not found' },
  ],
  [
    'CR Ready=False without reason',
    obj('example.com/v1', 'Widget', { spec: {}, status: { conditions: [{ type: 'Ready', status: 'False' }] } }),
    { ready: false, reason: 'NotReady' },
  ],
  [
    'CR Available=True',
    obj('example.com/v1', 'Widget', { spec: {}, status: { conditions: [{ type: 'Available', status: 'True' }] } }),
    { ready: true, reason: 'Available' },
  ],
  [
    'CR generation lag',
    obj(
      'example.com/v1',
      'Widget',
      { spec: {}, status: { observedGeneration: 1, conditions: [cond('Ready', 'True')] } },
      2,
    ),
    { ready: false, reason: 'Pending' },
  ],
  [
    'CR stale Ready condition',
    obj(
      'example.com/v1',
      'Widget',
      { spec: {}, status: { conditions: [{ ...cond('Ready', 'True'), observedGeneration: 1 }] } },
      2,
    ),
    { ready: false, reason: 'Pending' },
  ],
  [
    'CR Stalled=True is terminal',
    obj(
      'example.com/v1',
      'Widget',
      { spec: {}, status: { conditions: [cond('Stalled', 'True', 'InvalidSpec', 'spec.size must be positive')] } },
    ),
    { ready: false, failed: true, reason: 'InvalidSpec' },
  ],
  [
    'CR without conditions',
    obj('example.com/v1', 'Widget', { spec: {}, status: { phase: 'Whatever' } }),
    { ready: true },
  ],
  ['CR without status', obj('example.com/v1', 'Widget', { spec: {} }), { ready: true }],
  [
    'CR named Deployment in another group is generic',
    obj('example.com/v1', 'Deployment', { spec: { replicas: 5 } }),
    { ready: true },
  ],
  [
    'CR Failed=True is terminal',
    obj(
      'example.com/v1',
      'Widget',
      { spec: {}, status: { conditions: [cond('Failed', 'True', 'BadSpec', 'size is negative')] } },
    ),
    { ready: false, failed: true, reason: 'BadSpec', message: 'size is negative' },
  ],
  [
    'CR past its progress deadline',
    obj(
      'argoproj.io/v1alpha1',
      'Rollout',
      {
        spec: {},
        status: { conditions: [cond('Progressing', 'False', 'ProgressDeadlineExceeded', 'timed out progressing')] },
      },
    ),
    { ready: false, failed: true, reason: 'ProgressDeadlineExceeded' },
  ],
  [
    'CR Progressing=True without Ready',
    obj('example.com/v1', 'Widget', { spec: {}, status: { conditions: [cond('Progressing', 'True', 'Scaling')] } }),
    { ready: false, reason: 'Scaling' },
  ],
  [
    'CR Ready=True decides over Progressing=True',
    obj(
      'example.com/v1',
      'Widget',
      { spec: {}, status: { conditions: [cond('Progressing', 'True', 'Done'), cond('Ready', 'True')] } },
    ),
    { ready: true },
  ],
  [
    'CR Reconciling=True',
    obj(
      'example.com/v1',
      'Widget',
      {
        spec: {},
        status: { conditions: [cond('Ready', 'True'), cond('Reconciling', 'True', 'Progressing', 'working')] },
      },
    ),
    { ready: false, reason: 'Progressing', message: 'working' },
  ],
  // Objects being deleted (kstatus: Terminating)
  [
    'configmap being deleted',
    obj(
      'v1',
      'ConfigMap',
      { metadata: { deletionTimestamp: '2026-12-06T01:02:03Z', finalizers: ['example.com/keep'] } },
    ),
    { ready: false, reason: 'being deleted', message: 'since 2026-12-06T01:02:03Z, finalizers example.com/keep' },
  ],
  [
    'available deployment being deleted',
    deleting(deploy(1, deploymentStatus({ replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 }))),
    { ready: false, reason: 'being deleted', message: 'since 2026-12-06T01:02:03Z' },
  ],
  // Kinds with nothing to wait for, and the opt-out
  ['configmap', obj('v1', 'ConfigMap', { data: { a: '1' } }), { ready: true }],
  ['secret', obj('v1', 'Secret', { type: 'Opaque' }), { ready: true }],
  ['serviceaccount', obj('v1', 'ServiceAccount'), { ready: true }],
  ['clusterrole', obj('rbac.authorization.k8s.io/v1', 'ClusterRole', { rules: [] }), { ready: true }],
  [
    'opt-out annotation',
    obj('apps/v1', 'Deployment', { metadata: { annotations: { 'kc.dev/wait': 'false' } }, spec: { replicas: 3 } }),
    { ready: true, reason: 'not waited' },
  ],
  [
    'opt-out annotation only for "false"',
    obj('v1', 'Service', { metadata: { annotations: { 'kc.dev/wait': 'true' } }, spec: { type: 'LoadBalancer' } }),
    { ready: false },
  ],
];

describe('readinessOf', () => {
  test('has a broad table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  test.each(rows)('%s', (_name, object, expected) => {
    const actual = readinessOf(object);
    expect(actual).toMatchObject(expected);
    if (!expected.failed) expect(actual.failed).toBeUndefined();
  });

  test('does not modify its input', () => {
    const object = deploy(3, deploymentStatus({ replicas: 3 }));
    const copy = structuredClone(object);
    readinessOf(object);
    expect(object).toEqual(copy);
  });
});
