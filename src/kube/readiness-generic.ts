import { failed, notReady, ready, type Readiness } from './readiness-result.js';
import { condition, field, isTrue, num, str } from './status-fields.js';
import type { KubeObject } from './types.js';

/** An object with a deletionTimestamp is going away, whatever its status says (kstatus: Terminating). */
export function beingDeleted(o: KubeObject): Readiness | undefined {
  const since = str(o, 'metadata', 'deletionTimestamp');
  if (!since) return undefined;
  const finalizers = field(o, 'metadata', 'finalizers');
  const held = Array.isArray(finalizers) && finalizers.length > 0 ? `, finalizers ${finalizers.join(', ')}` : '';
  return notReady('being deleted', `since ${since}${held}`);
}

/**
 * A status written for an older spec says nothing about the current one; `requireObserved` also counts a status
 * that observed no generation yet as not ready (kinds whose controller always writes one).
 */
export function generationLag(o: KubeObject, requireObserved: boolean): Readiness | undefined {
  const generation = field(o, 'metadata', 'generation');
  if (typeof generation !== 'number') return undefined;
  const observed = field(o, 'status', 'observedGeneration');
  if (typeof observed !== 'number') {
    if (!requireObserved) return undefined;
    return notReady('waiting for controller', `generation ${generation} not observed yet`);
  }
  if (observed === generation) return undefined;
  return notReady('Pending', `generation ${generation} not observed yet (observed ${observed})`);
}

/** kstatus's own conditions, on any kind: Stalled=True is terminal, Reconciling=True is in progress. */
export function standardConditions(o: KubeObject): Readiness | undefined {
  const stalled = condition(o, 'Stalled');
  if (stalled?.status === 'True') return failed(stalled.reason || 'Stalled', stalled.message);
  const reconciling = condition(o, 'Reconciling');
  if (reconciling?.status === 'True') return notReady(reconciling.reason || 'Reconciling', reconciling.message);
  return undefined;
}

/**
 * Any other kind, custom resources included: Failed=True or a passed progress deadline is terminal; a Ready
 * condition (else Available) decides; Progressing=True alone is in progress; no known condition is ready.
 */
export function custom(o: KubeObject): Readiness {
  const failedCond = condition(o, 'Failed');
  if (failedCond?.status === 'True') return failed(failedCond.reason || 'Failed', failedCond.message);
  const progressing = condition(o, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded' && progressing.status !== 'True') {
    return failed('ProgressDeadlineExceeded', progressing.message);
  }
  const c = condition(o, 'Ready') ?? condition(o, 'Available');
  if (c) {
    const generation = num(o, 0, 'metadata', 'generation');
    const seen = c.observedGeneration;
    if (typeof seen === 'number' && seen < generation) {
      return notReady('Pending', `condition ${c.type} is from generation ${seen}, not ${generation}`);
    }
    if (c.status === 'True') return ready(c.reason || c.type || 'Ready');
    return notReady(c.reason || (c.status === 'False' ? `Not${c.type}` : `${c.type} unknown`), c.message);
  }
  if (isTrue(o, 'Progressing')) return notReady(progressing?.reason || 'Progressing', progressing?.message);
  return ready('Ready');
}
