import { systemClock, type Clock } from '../clock.js';
import { KcError, isKcError } from '../errors/index.js';
import { readinessOf, type Readiness } from './readiness.js';
import { describeRef, refKey, refOf, type KubeClient, type KubeObject, type ObjectRef } from './types.js';
import { explainer, type Explainer } from './wait-explain.js';
import { runWaitLoop } from './wait-loop.js';
import { MAX_EXPLAINED, whyUnready } from './why-unready.js';
import { judgedByPods, podVerdicts } from './workload-pods.js';

/** The readiness of one object as last read. */
export interface ObjectState {
  ref: ObjectRef;
  readiness: Readiness;
  /** Why it is still unready (its pods, its newest Warning event), in progress once it has waited a few seconds. */
  why?: string;
}

/** Options of waitForReady. */
export interface WaitOptions {
  timeoutMs: number;
  /** Pause between reads of objects no watch follows (its watch starting, refused or failed); 1000 by default. */
  intervalMs?: number;
  signal?: AbortSignal;
  clock?: Clock;
  /** Objects as just returned by the server (e.g. apply responses): those already ready are not read again. */
  initial?: KubeObject[];
  /** Called after every round of reads and every batch of watch news, with every object's state in input order. */
  onProgress?: (states: ObjectState[]) => void;
}

/** Formats a duration like Go's time.Duration (5m0s, 1m30s, 2.5s, 500ms), as users of kubectl expect. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = `${Number(((ms % 60_000) / 1000).toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

function describeState(state: ObjectState, why?: string): string {
  const { reason, message } = state.readiness;
  return `${describeRef(state.ref)}: ${reason}${message ? `: ${message}` : ''}${why ? ` — ${why}` : ''}`;
}

/** Resolves with the promise, or rejects as soon as the signal aborts, whichever comes first. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  // The losing promise may still reject later; keep that from becoming an unhandled rejection.
  promise.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function uniqueRefs(objects: ObjectRef[]): ObjectRef[] {
  const seen = new Set<string>();
  return objects.filter((ref) => {
    const key = refKey(ref);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Waits until all objects are ready, throwing KcError TIMEOUT, NOT_READY (a terminal failure) or INTERRUPTED (the
 * signal aborted). One read of the unready objects, then a watch per kind and namespace reports each change as it
 * happens; objects no watch follows are read every interval (at most ceil(timeout/interval)+1 reads each).
 */
export async function waitForReady(client: KubeClient, objects: ObjectRef[], options: WaitOptions): Promise<ObjectState[]> {
  const clock = options.clock ?? systemClock;
  const { signal } = options;
  const timeoutMs = Number.isFinite(options.timeoutMs) ? Math.max(0, options.timeoutMs) : 0;
  const intervalMs = Math.max(1, options.intervalMs ?? 1000);
  const deadline = clock.now().getTime() + timeoutMs;

  const refs = uniqueRefs(objects);
  const states = new Map<string, ObjectState>(
    refs.map((ref) => [refKey(ref), { ref, readiness: { ready: false, reason: 'not checked yet' } }]),
  );
  const lastRead = new Map<string, KubeObject>();
  const snapshot = (): ObjectState[] => refs.map((ref) => states.get(refKey(ref)) as ObjectState);
  for (const object of options.initial ?? []) {
    const key = refKey(refOf(object));
    const readiness = readinessOf(object);
    if (states.has(key) && readiness.ready) {
      states.set(key, { ref: states.get(key)!.ref, readiness });
      lastRead.set(key, object);
    }
  }
  // Kinds with nothing to wait for (ConfigMaps, Secrets, …) are ready in the apply response: no second read.
  let pending = refs.filter((ref) => !states.get(refKey(ref))?.readiness.ready);

  const interrupted = (cause: unknown): KcError =>
    // The abort reason says what stopped us (e.g. "interrupted by SIGTERM", set by the CLI).
    new KcError('INTERRUPTED', `${isKcError(cause) && cause.code === 'INTERRUPTED' ? cause.message : 'interrupted'} while waiting for ${pending.length} of ${refs.length} objects`, {
      details: pending.map((ref) => describeState(states.get(refKey(ref)) as ObjectState)),
      hint: 'the wait was cancelled; the revision is marked failed',
      cause,
    });

  /** Detail lines, the first MAX_EXPLAINED with an explanation (from pods or events) where there is one. */
  const explain = async (which: ObjectRef[]): Promise<string[]> =>
    Promise.all(
      which.map(async (ref, i) => {
        const object = lastRead.get(refKey(ref));
        const state = states.get(refKey(ref)) as ObjectState;
        const why = object && i < MAX_EXPLAINED ? await whyUnready(client, object, state.readiness) : undefined;
        return describeState(state, why);
      }),
    );

  /** Takes what was read or seen of one object (undefined: it is not there). */
  const record = (ref: ObjectRef, object: KubeObject | undefined): void => {
    const key = refKey(ref);
    if (object) lastRead.set(key, object);
    else lastRead.delete(key);
    const readiness: Readiness = object ? readinessOf(object) : { ready: false, reason: 'not found' };
    states.set(key, { ref, readiness });
  };
  // Progress says why objects are still unready once they have waited a while; without progress no one would see it.
  const explaining = options.onProgress ? explainer(client, clock.now().getTime()) : undefined;
  /** Every object's state, the unready ones with their explanation where there is one. */
  const progress = (): ObjectState[] =>
    snapshot().map((s) => {
      const why = s.readiness.ready ? undefined : explaining?.why(s.ref);
      return why ? { ...s, why } : s;
    });
  const explainLeft = async (why: Explainer): Promise<void> => {
    const stateOf = (ref: ObjectRef) => states.get(refKey(ref)) as ObjectState;
    const left = pending.filter((ref) => !stateOf(ref).readiness.ready);
    const object = (ref: ObjectRef) => lastRead.get(refKey(ref));
    const input = { left, object, readiness: (ref: ObjectRef) => stateOf(ref).readiness };
    await raceAbort(why.refresh(input, clock.now().getTime()), signal).catch((error: unknown) => {
      throw signal?.aborted ? interrupted(signal.reason) : error;
    });
  };
  let lastPodCheck = -Infinity;
  /** Fails unready workloads whose current pods are stuck (crash loop, image pull, missing config): no wait helps. */
  const checkPods = async (): Promise<void> => {
    lastPodCheck = clock.now().getTime();
    const objects = pending.map((ref) => lastRead.get(refKey(ref)));
    const verdicts = await raceAbort(podVerdicts(client, objects), signal).catch((error: unknown) => {
      throw signal?.aborted ? interrupted(signal.reason) : error;
    });
    pending.forEach((ref, i) => verdicts[i] && states.set(refKey(ref), { ref, readiness: verdicts[i] }));
  };
  /** After news: the pods of unready workloads, progress, NOT_READY for a terminal failure, what is left. */
  const settle = async (): Promise<void> => {
    // Pods are listed at most once an interval: watch news can come many times a second in a big rollout.
    if (clock.now().getTime() >= lastPodCheck + intervalMs) await checkPods();
    if (explaining) await explainLeft(explaining);
    options.onProgress?.(progress());
    const failed = pending.filter((ref) => states.get(refKey(ref))?.readiness.failed);
    if (failed.length > 0) {
      const noun = failed.length === 1 ? 'object' : 'objects';
      throw new KcError('NOT_READY', `${failed.length} ${noun} failed and will not become ready`, {
        details: await explain(failed),
        hint: 'fix the objects listed; the revision is marked failed',
      });
    }
    pending = pending.filter((ref) => !states.get(refKey(ref))?.readiness.ready);
  };
  const read = async (which: ObjectRef[]): Promise<void> => {
    if (signal?.aborted) throw interrupted(signal.reason);
    let got: (KubeObject | undefined)[];
    try {
      got = await raceAbort(Promise.all(which.map((ref) => client.get(ref))), signal);
    } catch (error) {
      if (signal?.aborted) throw interrupted(signal.reason);
      throw error;
    }
    which.forEach((ref, i) => record(ref, got[i]));
    await settle();
  };

  const take = async (seen: Map<string, KubeObject | undefined>): Promise<void> => {
    for (const ref of pending) if (seen.has(refKey(ref))) record(ref, seen.get(refKey(ref)));
    await settle();
  };
  // A pod getting stuck does not change its workload: the pods of unready workloads are looked at every interval.
  const nextCheck = () =>
    Math.min(pending.some(judgedByPods) ? lastPodCheck + intervalMs : Infinity, explaining?.due() ?? Infinity);
  await runWaitLoop({ client, clock, deadline, intervalMs, signal, left: () => pending, read, take, nextCheck });

  if (pending.length === 0) return snapshot();
  if (signal?.aborted) throw interrupted(signal.reason);
  throw new KcError('TIMEOUT', `timed out after ${formatDuration(timeoutMs)} waiting for ${pending.length} of ${refs.length} objects`, {
    details: await explain(pending),
    hint: 'raise --timeout, or fix the objects listed; the revision is marked failed',
  });
}

/** Why a deleted object is still there: its finalizers, which something must clear before it goes. */
function describeLingering(ref: ObjectRef, object: KubeObject): string {
  const finalizers = (object.metadata?.finalizers as string[] | undefined) ?? [];
  const since = object.metadata?.deletionTimestamp ? `being deleted since ${String(object.metadata.deletionTimestamp)}` : 'not marked for deletion';
  return `${describeRef(ref)}: ${since}${finalizers.length ? `, finalizers ${finalizers.join(', ')}` : ''}`;
}

/**
 * Waits until deleted objects are gone (as `helm uninstall --wait`), throwing TIMEOUT naming those still there and
 * their finalizers, or INTERRUPTED; one read, then watches, reading objects no watch follows every interval.
 */
export async function waitForDeletion(client: KubeClient, refs: readonly ObjectRef[], options: Omit<WaitOptions, 'initial' | 'onProgress'>): Promise<void> {
  const clock = options.clock ?? systemClock;
  const { signal } = options;
  const timeoutMs = Number.isFinite(options.timeoutMs) ? Math.max(0, options.timeoutMs) : 0;
  const intervalMs = Math.max(1, options.intervalMs ?? 1000);
  const deadline = clock.now().getTime() + timeoutMs;
  /** The last version seen of each object left; none until it is read. */
  const seen = new Map<string, KubeObject>();
  let left = uniqueRefs([...refs]);
  const take = async (news: Map<string, KubeObject | undefined>): Promise<void> => {
    for (const [key, object] of news) if (object) seen.set(key, object);
    left = left.filter((ref) => !news.has(refKey(ref)) || news.get(refKey(ref)) !== undefined);
  };
  const read = async (which: ObjectRef[]): Promise<void> => {
    const got = await raceAbort(Promise.all(which.map((ref) => client.get(ref))), signal).catch((err: unknown) => {
      if (signal?.aborted) return undefined; // the loop ends on the abort
      throw err;
    });
    if (got) await take(new Map(which.map((ref, i) => [refKey(ref), got[i]])));
  };
  await runWaitLoop({ client, clock, deadline, intervalMs, signal, left: () => left, read, take });
  if (left.length === 0) return;
  const details = left.map((ref) => {
    const object = seen.get(refKey(ref));
    return object ? describeLingering(ref, object) : `${describeRef(ref)}: not checked`;
  });
  if (signal?.aborted) {
    throw new KcError('INTERRUPTED', `interrupted while waiting for ${left.length} of ${refs.length} deleted objects to go`, { details, hint: 'the objects were deleted; the cluster finishes removing them on its own' });
  }
  throw new KcError('TIMEOUT', `timed out after ${formatDuration(timeoutMs)}: ${left.length} of ${refs.length} deleted objects are still there`, {
    details,
    hint: 'the cluster finishes removing them on its own once their finalizers are cleared; raise --timeout to wait longer',
  });
}
