// An operation's writes are fenced by its lock: once the lock is lost, nothing more is written, not even "failed".
import { describe, expect, test } from '@jest/globals';
import { runOperation, type OperationOptions, type ReleasePlan } from '../../../src/actions/release-operation.js';
import { lockLost, type LockHandle } from '../../../src/release/index.js';
import { memorySession } from '../../helpers/memory-session.js';

const plan = (n: number): ReleasePlan => ({
  name: 'app',
  namespace: 'ns',
  chart: { name: 'maps', version: '1.0.0' },
  objects: Array.from({ length: n }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `m${i}`, namespace: 'ns' },
    data: { v: String(i) },
  })),
  values: { n },
  userValues: { n },
  secretPaths: [],
});
const options: OperationOptions = {
  wait: false,
  timeoutMs: 1000,
  atomic: true,
  force: false,
  adopt: false,
  historyMax: 10,
  waitForLockMs: 0,
};

/** A lock that is lost once `writes` writes were let through (the holder was paused and taken over). */
function lockLostAfter(writes: number): { handle: LockHandle; checks: () => number } {
  let checks = 0;
  const handle: LockHandle = {
    assertHeld: async () => {
      if (++checks > writes) throw lockLost('app', 'another operation took its Lease over');
    },
    release: async () => undefined,
  };
  return { handle, checks: () => checks };
}

describe('an operation that loses its lock', () => {
  test.each([1, 2, 3])('after %i write(s) stops with LOCK_LOST and writes nothing more', async (writes) => {
    const { s, client, driver } = memorySession();
    await runOperation(s, plan(2), { kind: 'install' }, { ...options, atomic: false });
    const { handle } = lockLostAfter(writes);
    s.locker = { acquire: async () => handle };
    const before = client.calls.length;
    await expect(runOperation(s, plan(4), { kind: 'upgrade', install: false }, options)).rejects.toMatchObject({
      code: 'LOCK_LOST',
    });
    const written = client.calls.slice(before).filter((c) => !/^(get|list) /.test(c));
    // The record of revision 2 counts as one write; each object applied is one more.
    const recordWrites = driver.records.has('ns/app/2') ? 1 : 0;
    expect(written.length + recordWrites).toBe(writes);
    // Neither "failed" nor --atomic's rollback was written: the new holder owns the release now.
    expect([...driver.records.values()].map((r) => [r.revision, r.status])).toEqual(
      recordWrites
        ? [
            [1, 'deployed'],
            [2, 'pending-upgrade'],
          ]
        : [[1, 'deployed']],
    );
  });
});
