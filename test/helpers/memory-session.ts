// A ClusterSession over memory: a FakeKube client, a MemoryDriver store and an in-process lock.
import type { ClusterSession } from '../../src/actions/cluster-session.js';
import type { Clock } from '../../src/clock.js';
import { MemoryDriver, MemoryLocker, ReleaseStore } from '../../src/release/index.js';
import { FakeKube } from './fake-kube.js';

/** A clock that stands still and never sleeps. */
export const frozenClock: Clock = { now: () => new Date('2026-11-25T00:00:00Z'), sleep: async () => undefined };

/** A session in namespace "ns", with its client and driver exposed for assertions. */
export function memorySession(): { s: ClusterSession; client: FakeKube; driver: MemoryDriver } {
  const client = new FakeKube();
  const driver = new MemoryDriver();
  const s: ClusterSession = {
    client,
    store: new ReleaseStore(driver),
    locker: new MemoryLocker({ user: 'u', host: 'h', pid: 1, since: 'now' }),
    clock: frozenClock,
    namespace: 'ns',
    context: 'test',
    user: 'u@h',
    preconnect: () => undefined,
    close: () => undefined,
  };
  return { s, client, driver };
}
