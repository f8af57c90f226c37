import { crd, pod, pv, pvc, service } from './readiness-core.js';
import { beingDeleted, custom, generationLag, standardConditions } from './readiness-generic.js';
import { ready, type Readiness } from './readiness-result.js';
import { daemonSet, deployment, job, replicaSet, statefulSet } from './readiness-workloads.js';
import { field } from './status-fields.js';
import type { KubeObject } from './types.js';

export type { Readiness } from './readiness-result.js';

/** The annotation that opts one object out of waiting when set to "false". */
export const WAIT_ANNOTATION = 'kc.dev/wait';

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

/** Kinds whose controller always writes status.observedGeneration: until it does, it has not seen the spec. */
const OBSERVED_BY_CONTROLLER = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet']);

function kindKey(o: KubeObject): string {
  const v = o.apiVersion ?? '';
  return `${v.includes('/') ? v.slice(0, v.indexOf('/')) : ''}/${o.kind ?? ''}`;
}

/**
 * Computes whether an object read from the cluster is ready as kstatus does: being deleted and an unobserved
 * generation are not ready, Stalled/Reconciling decide on any kind, then the kind's own rules or its conditions.
 */
export function readinessOf(object: KubeObject): Readiness {
  const annotations = field(object, 'metadata', 'annotations') as Record<string, unknown> | undefined;
  if (annotations && annotations[WAIT_ANNOTATION] === 'false') return ready('not waited');
  const key = kindKey(object);
  const generic =
    beingDeleted(object) ?? generationLag(object, OBSERVED_BY_CONTROLLER.has(key)) ?? standardConditions(object);
  if (generic) return generic;
  const handler = handlers[key];
  return handler ? handler(object) : custom(object);
}
