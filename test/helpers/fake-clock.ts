// A clock for unit tests of bounded waits: sleeping advances time at once and is recorded.
import type { Clock } from '../../src/clock.js';

/** A clock whose sleep advances time instantly; `sleeps` lists each sleep asked for. */
export function fakeClock(): Clock & { time: number; sleeps: number[] } {
  const clock = {
    time: 0,
    sleeps: [] as number[],
    now: () => new Date(clock.time),
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason;
      clock.sleeps.push(ms);
      clock.time += ms;
    },
  };
  return clock;
}
