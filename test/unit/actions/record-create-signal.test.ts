// A signal while the pending record is being written: the write is sent whole (uninterruptible), so the operation
// then ends it (removes it: nothing reached the cluster) instead of leaving a pending record behind.
import { describe, expect, test } from '@jest/globals';
import { runOperation } from '../../../src/actions/release-operation.js';
import { isUninterruptible } from '../../../src/kube/uninterruptible.js';
import { configMapPlan, QUICK_OPERATION } from '../../helpers/config-map-plan.js';
import { memorySession } from '../../helpers/memory-session.js';

describe('runOperation and a signal during the record write', () => {
  test('the record is not left pending: an aborted create that landed is removed', async () => {
    const { s, driver } = memorySession();
    const controller = new AbortController();
    const create = driver.create.bind(driver);
    // As the transport does: the write lands, and the signal (which came meanwhile) rejects an unshielded request.
    driver.create = async (record) => {
      await create(record);
      controller.abort(new Error('interrupted'));
      if (!isUninterruptible()) throw new Error('interrupted');
    };
    await expect(
      runOperation(
        s,
        configMapPlan(['a']),
        { kind: 'upgrade', install: true },
        {
          ...QUICK_OPERATION,
          signal: controller.signal,
        },
      ),
    ).rejects.toThrow('interrupted');
    expect(await s.store.history('ns', 'app')).toEqual([]);
  });
});
