// Keeps one watch going: a list gives the state and its resourceVersion, a watch follows from there, each
// disconnect resumes from the last version seen (bookmarks included), and a 410 Gone lists again. Bounded: a run of
// attempts without news ends it, with a doubling pause between them.
import { KcError, isKcError } from '../errors/index.js';
import type { KubeObject, WatchEvent } from './types.js';
import type { RawWatchEvent, WatchEnd } from './watch-request.js';

/** The server side of a watch: a list with its resourceVersion, and one watch request after a resourceVersion. */
export interface WatchSource {
  /** Names the watch in errors, e.g. "watch Deployment". */
  what: string;
  list(): Promise<{ objects: KubeObject[]; resourceVersion: string }>;
  watch(resourceVersion: string, onEvent: (event: RawWatchEvent) => void, signal: AbortSignal): Promise<WatchEnd>;
}

/** Bounds of a watch loop. */
export interface WatchLoopLimits {
  /** Attempts in a row without news (failed, gone, or ended early) after which the watch gives up. */
  maxFailures: number;
  /** Pause before a retry after a failure, doubled each time up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** A request the server ends after at least this long is healthy even without news (a quiet watch). */
  healthyMs: number;
}

/** The default bounds: 5 attempts without news, pauses of 0.2 s doubling to 3 s. */
export const DEFAULT_WATCH_LOOP: WatchLoopLimits = {
  maxFailures: 5,
  backoffMs: 200,
  maxBackoffMs: 3000,
  healthyMs: 30_000,
};

// Refusals another attempt will not change.
const PERMANENT = new Set(['FORBIDDEN', 'NOT_FOUND', 'UNKNOWN_KIND', 'OBJECT_INVALID']);

/** Resolves with the promise's value, or with undefined as soon as the signal aborts. */
function untilAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  promise.catch(() => undefined); // the loser must not become an unhandled rejection
  return new Promise((resolve, reject) => {
    if (signal.aborted) return resolve(undefined);
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Runs a watch until `signal` aborts (then resolves); rejects with a refusal (FORBIDDEN, …) at once, or with the last
 * failure after `maxFailures` attempts in a row without news.
 */
export async function runWatch(
  source: WatchSource,
  onEvent: (event: WatchEvent) => void,
  signal: AbortSignal,
  limits: WatchLoopLimits = DEFAULT_WATCH_LOOP,
): Promise<void> {
  let version: string | undefined;
  let failures = 0;
  while (!signal.aborted) {
    const started = Date.now();
    let from: string | undefined;
    let end: WatchEnd | undefined;
    let failure: unknown;
    try {
      if (version === undefined) {
        const listed = await untilAbort(source.list(), signal);
        if (!listed) return;
        version = listed.resourceVersion;
        onEvent({ type: 'SYNCED', objects: listed.objects });
      }
      from = version;
      end = await source.watch(version, (event) => {
        const seen = event.object.metadata?.resourceVersion;
        if (typeof seen === 'string' && seen !== '') version = seen;
        if (event.type !== 'BOOKMARK') onEvent({ type: event.type, object: event.object });
      }, signal);
    } catch (err) {
      if (signal.aborted) return;
      if (isKcError(err) && PERMANENT.has(err.code)) throw err;
      failure = err;
    }
    // News is a version past the one the request started from (an event or a bookmark): the server made progress.
    const news = from !== undefined && version !== from;
    if (news) failures = 0;
    if (end === 'gone') version = undefined; // the next round lists again
    // A request that brought news, or a quiet one the server kept open long enough, resumes at once.
    if (news || (end === 'ended' && Date.now() - started >= limits.healthyMs)) continue;
    if (++failures >= limits.maxFailures) {
      if (isKcError(failure)) throw failure;
      const why = end === 'gone' ? 'the server forgot its version each time (410 Gone)' : 'it kept ending without news';
      throw new KcError('API_ERROR', `${source.what}: gave up after ${failures} attempts: ${why}`, { cause: failure });
    }
    // A 410 Gone lists again at once; failures and early ends wait a little longer each time.
    if (end !== 'gone') await pause(Math.min(limits.maxBackoffMs, limits.backoffMs * 2 ** (failures - 1)), signal);
  }
}
