// The loop of a wait: one read of everything, then watches report changes as they happen, while objects no watch
// follows (its watch starting, refused or failed) are read every interval and once more at the deadline. It ends
// when nothing is left, at the deadline, or when the signal aborts; the watches end with it.
import type { Clock } from '../clock.js';
import { refKey, type KubeClient, type KubeObject, type ObjectRef } from './types.js';
import { watchSet, type WatchSet } from './watch-set.js';

/** What a wait loop follows, and how. */
export interface WaitLoop {
  client: KubeClient;
  clock: Clock;
  /** When the loop stops waiting (clock time, ms). */
  deadline: number;
  intervalMs: number;
  signal?: AbortSignal;
  /** The objects still waited for. */
  left(): ObjectRef[];
  /** Reads objects itself (GETs), taking what it read; called with the objects left that no watch follows. */
  read(refs: ObjectRef[]): Promise<void>;
  /** Takes what watches saw of objects left: each one's latest version, undefined when it is gone. */
  take(seen: Map<string, KubeObject | undefined>): Promise<void>;
  /** When `take` is next due without news (clock time; e.g. to look at pods again); never when absent. */
  nextCheck?(): number;
}

/**
 * Runs a wait loop; returns when nothing is left, on an abort, or at the deadline after one last read of everything
 * left (a timeout never rests on a watch's word alone). The caller tells which from what is left.
 */
export async function runWaitLoop(loop: WaitLoop): Promise<void> {
  const { clock, deadline, intervalMs, signal } = loop;
  if (signal?.aborted) return;
  const start = clock.now().getTime();
  if (loop.left().length > 0) await loop.read(loop.left());
  let lastRound = clock.now().getTime();
  let watches: WatchSet | undefined;
  if (loop.left().length > 0 && lastRound < deadline && !signal?.aborted) watches = watchSet(loop.client, loop.left());
  // Bounded whatever the clock does: reads, checks and sleeps that were not cut short by news are counted, and a
  // clock that does not advance (a test's) ends the loop as the deadline would after about as many rounds.
  const maxIdle = 3 * (Math.ceil(Math.max(0, deadline - start) / intervalMs) + 1) + 3;
  let idle = 0;
  try {
    while (loop.left().length > 0 && !signal?.aborted) {
      const left = new Set(loop.left().map(refKey));
      const news = new Map([...(watches?.drain() ?? [])].filter(([key]) => left.has(key)));
      if (news.size > 0) {
        await loop.take(news);
        // Only the deadline stops news that keeps coming (a busy namespace) from holding the loop.
        if (clock.now().getTime() < deadline || loop.left().length === 0 || signal?.aborted) continue;
      }
      const now = clock.now().getTime();
      const ended = now >= deadline || idle >= maxIdle;
      const polled = loop.left().filter((ref) => !watches?.watched(ref));
      if (ended) {
        // One last read of what a watch follows, and of the rest unless it was just read at the deadline.
        const last = loop.left().filter((ref) => watches?.watched(ref) || lastRound < deadline);
        if (last.length > 0) await loop.read(last);
        return;
      }
      if (polled.length > 0 && now >= lastRound + intervalMs) {
        idle++;
        await loop.read(polled);
        lastRound = now;
        continue;
      }
      const checkDue = loop.nextCheck?.() ?? Infinity;
      if (now >= checkDue) {
        idle++;
        await loop.take(new Map());
        continue;
      }
      const until = Math.min(polled.length > 0 ? lastRound + intervalMs : deadline, deadline, checkDue);
      const wake = watches ? (signal ? AbortSignal.any([signal, watches.wake()]) : watches.wake()) : signal;
      try {
        await clock.sleep(until - now, wake);
        idle++;
      } catch (error) {
        if (!wake?.aborted) throw error; // woken by news, or ended by the signal (checked above)
      }
    }
  } finally {
    watches?.stop();
  }
}
