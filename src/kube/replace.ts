// Objects whose update the API server refuses because a field cannot change (a StatefulSet's volumeClaimTemplates,
// a Job's template, a Service's clusterIP) can only be deleted and created again. kc does that only when asked
// (--force-replace, or the object's kc.dev/force-replace annotation), only for objects this release owns at that
// moment (through deleteOwned), and only after the API server said it would accept the object as a new one.
import type { Clock } from '../clock.js';
import { KcError, isKcError } from '../errors/index.js';
import { deleteOwned, describeLeft } from './owned-delete.js';
import { describeRef, refOf, type KubeClient, type KubeObject, type ObjectRef } from './types.js';
import { formatDuration } from './wait.js';

/** The annotation that opts one object into replacement when an immutable field changes (value `"true"`). */
export const FORCE_REPLACE_ANNOTATION = 'kc.dev/force-replace';

/** How long to wait, by default, for a deleted object to be gone before creating it again. */
const DEFAULT_GONE_TIMEOUT_MS = 5 * 60_000;

/** Pause between reads while a deleted object is still there (its dependents or finalizers hold it). */
const GONE_INTERVAL_MS = 500;

/** How applyReplacing applies one object and replaces it when that is allowed. */
export interface ReplaceOptions {
  /** `namespace/name` of the release: only its objects are replaced. */
  release: string;
  /** --force-replace: every object of the release may be replaced, not only those annotated. */
  forceReplace?: boolean;
  /** Judge and report, delete nothing. */
  dryRun?: boolean;
  clock: Clock;
  signal?: AbortSignal;
  /** How long the deleted object may take to be gone (default 5 minutes). */
  timeoutMs?: number;
  /** Receives each object replaced (with dryRun: that would be). */
  replaced?: ObjectRef[];
}

/** True when `object` may be replaced: --force-replace was given or the object carries the annotation. */
export function replaceWanted(object: KubeObject, forceReplace: boolean | undefined): boolean {
  const annotations = (object.metadata?.annotations ?? {}) as Record<string, string>;
  return Boolean(forceReplace) || annotations[FORCE_REPLACE_ANNOTATION] === 'true';
}

/** The hint of a FIELD_IMMUTABLE error kc did not resolve by replacing. */
export const IMMUTABLE_HINT =
  `pass --force-replace to delete and create it again (or annotate it ${FORCE_REPLACE_ANNOTATION}: "true"), ` +
  'or change the field back in the chart';

/**
 * FIELD_IMMUTABLE when `err`, the refusal of an apply of `placed`, is one only a replacement resolves: an invalid
 * update that the API server would accept as a new object (a dry-run create fails only with ALREADY_EXISTS, which
 * the server finds after validating and admitting it). Undefined for any other error, which stays as it was.
 */
export async function immutableRefusal(
  client: KubeClient,
  placed: KubeObject,
  err: unknown,
): Promise<KcError | undefined> {
  if (!isKcError(err) || err.code !== 'OBJECT_INVALID') return undefined;
  try {
    await client.create(placed, { dryRun: true });
    return undefined; // absent now, and valid: not a refusal of an update
  } catch (probe) {
    if (!isKcError(probe) || probe.code !== 'ALREADY_EXISTS') return undefined;
  }
  const ref = refOf(placed);
  const message = `${describeRef(ref)}: an immutable field changed, the API server refuses the update`;
  return new KcError('FIELD_IMMUTABLE', message, {
    details: err.details.length ? err.details : [err.message],
    hint: IMMUTABLE_HINT,
    cause: err,
  });
}

/** Polls until the object deleted for replacement is gone; bounded by `options.timeoutMs`. */
async function waitGone(client: KubeClient, ref: ObjectRef, options: ReplaceOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_GONE_TIMEOUT_MS;
  const deadline = options.clock.now().getTime() + timeoutMs;
  for (;;) {
    const live = await client.get(ref);
    if (!live) return;
    if (!live.metadata?.deletionTimestamp) {
      // Not the object kc deleted: someone created it anew meanwhile. Applying would take it over unjudged.
      throw new KcError('CONFLICT', `${describeRef(ref)} was created again by someone else while kc replaced it`, {
        hint: 'find out who creates it, then run the command again',
      });
    }
    if (options.clock.now().getTime() >= deadline) {
      const finalizers = (live.metadata.finalizers as string[] | undefined) ?? [];
      const held = finalizers.length ? `; finalizers: ${finalizers.join(', ')}` : '';
      const still = `still exists after ${formatDuration(timeoutMs)}${held}`;
      throw new KcError('TIMEOUT', `${describeRef(ref)} was deleted to be replaced but ${still}`, {
        hint: 'see what holds it with `kubectl describe`; running the command again creates it once it is gone',
      });
    }
    await options.clock.sleep(GONE_INTERVAL_MS, options.signal);
  }
}

/**
 * Applies `placed` with `send`; when the API server refuses it as immutable and replacement is wanted, deletes the
 * live object if this release owns it, waits until it is gone and sends it again (dry: only judges and reports).
 * Throws FIELD_IMMUTABLE when replacement is not wanted or the live object is not the release's.
 */
export async function applyReplacing(
  client: KubeClient,
  placed: KubeObject,
  send: (object: KubeObject) => Promise<KubeObject>,
  options: ReplaceOptions,
): Promise<KubeObject> {
  try {
    return await send(placed);
  } catch (err) {
    const immutable = await immutableRefusal(client, placed, err);
    if (!immutable) throw err;
    if (!replaceWanted(placed, options.forceReplace)) throw immutable;
    const ref = refOf(placed);
    // Foreground: the object stays until the garbage collector has deleted its dependents (a StatefulSet's pods, a
    // Job's pods, a Deployment's ReplicaSets), so the replacement never runs beside the old generation (two pods
    // named db-0 on the same volume). Waiting for that is bounded by the timeout.
    const { left } = await deleteOwned(client, [ref], {
      release: options.release,
      dryRun: options.dryRun,
      propagation: 'Foreground',
      signal: options.signal,
    });
    if (left.length > 0) {
      throw new KcError('FIELD_IMMUTABLE', `${immutable.message}; not replaced: ${describeLeft(left[0])}`, {
        details: immutable.details,
        hint: 'kc replaces only objects this release owns: change the field back in the chart, or delete it yourself',
        cause: err,
      });
    }
    options.replaced?.push(ref);
    if (options.dryRun) return placed;
    await waitGone(client, ref, options);
    return send(placed);
  }
}

/** How a deploy would deal with an update the API server refuses as immutable (for `kc diff`). */
export interface ImmutableChange {
  /** True when the deploy would delete the object and create it again; false when it would fail. */
  replace: boolean;
  /** The server's reasons, one line each (e.g. `spec: Forbidden: updates to statefulset spec …`). */
  details: string[];
  /** Why it would not be replaced: not asked to, or the live object is not the release's. */
  refusal?: string;
}

/**
 * How a deploy would deal with `err`, the refusal of a dry-run apply of `placed`, judged as applyReplacing judges
 * (the live object's ownership read now); undefined when the refusal is not one of an immutable field.
 */
export async function immutableChange(
  client: KubeClient,
  placed: KubeObject,
  err: unknown,
  options: Pick<ReplaceOptions, 'release' | 'forceReplace'>,
): Promise<ImmutableChange | undefined> {
  const immutable = await immutableRefusal(client, placed, err);
  if (!immutable) return undefined;
  const { details } = immutable;
  if (!replaceWanted(placed, options.forceReplace)) {
    return { replace: false, details, refusal: `needs --force-replace (or ${FORCE_REPLACE_ANNOTATION}: "true")` };
  }
  const { left } = await deleteOwned(client, [refOf(placed)], { release: options.release, dryRun: true });
  if (left.length) return { replace: false, details, refusal: `kc replaces only its own objects: ${left[0].reason}` };
  return { replace: true, details };
}
