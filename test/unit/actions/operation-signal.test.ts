// A signal stops an operation at the next step, and the record says where it stopped: never deployed after it.
import { describe, expect, test } from '@jest/globals';
import { runOperation, type OperationOptions, type ReleasePlan } from '../../../src/actions/release-operation.js';
import { KcError } from '../../../src/errors/index.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { memorySession } from '../../helpers/memory-session.js';

const plan = (names: string[]): ReleasePlan => ({
  name: 'app',
  namespace: 'ns',
  chart: { name: 'maps', version: '1.0.0' },
  objects: names.map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data: { v: name } })),
  values: { names },
  userValues: {},
  secretPaths: [],
});
const interrupted = () => new KcError('INTERRUPTED', 'interrupted by SIGINT');

function options(signal: AbortSignal): OperationOptions {
  return { wait: false, timeoutMs: 1000, atomic: false, force: false, adopt: false, historyMax: 10, waitForLockMs: 0, signal };
}

describe('an operation and a signal', () => {
  test('interrupted before its record exists: nothing is written, no release', async () => {
    const { s, client, driver } = memorySession();
    const controller = new AbortController();
    controller.abort(interrupted());
    await expect(runOperation(s, plan(['a']), { kind: 'install' }, options(controller.signal))).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(driver.records.size).toBe(0);
    expect(client.calls.filter((c) => c.startsWith('apply'))).toEqual([]);
  });

  test('interrupted as the last apply is answered: the revision is failed, nothing is pruned', async () => {
    const { s, client, driver } = memorySession();
    const controller = new AbortController();
    await runOperation(s, plan(['a', 'old']), { kind: 'install' }, options(controller.signal));
    const apply = client.apply.bind(client);
    client.apply = async (object: KubeObject, o) => {
      const out = await apply(object, o);
      if (object.metadata?.name === 'b') controller.abort(interrupted()); // the answer came; the signal with it
      return out;
    };
    await expect(runOperation(s, plan(['a', 'b']), { kind: 'upgrade', install: false }, options(controller.signal))).rejects.toMatchObject({
      code: 'INTERRUPTED',
    });
    expect([...driver.records.values()].map((r) => [r.revision, r.status])).toEqual([[1, 'deployed'], [2, 'failed']]);
    expect(client.calls.some((c) => c.startsWith('delete'))).toBe(false); // "old" is pruned by the next operation
  });
});
