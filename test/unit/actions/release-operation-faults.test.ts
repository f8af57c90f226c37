// runOperation under faults: a signal stops it at the next step and the record says where; progress leaks no secret.
import { describe, expect, test } from '@jest/globals';
import { runOperation, type OperationOptions } from '../../../src/actions/release-operation.js';
import { KcError } from '../../../src/errors/index.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { memorySession } from '../../helpers/memory-session.js';
import { configMapPlan, QUICK_OPERATION } from '../../helpers/config-map-plan.js';

const plan = configMapPlan;
const interrupted = () => new KcError('INTERRUPTED', 'interrupted by SIGINT');

function options(signal: AbortSignal): OperationOptions {
  return { ...QUICK_OPERATION, signal };
}

describe('an operation and a signal', () => {
  test('interrupted before its record exists: nothing is written, no release', async () => {
    const { s, client, driver } = memorySession();
    const controller = new AbortController();
    controller.abort(interrupted());
    await expect(runOperation(s, plan(['a']), { kind: 'install' }, options(controller.signal))).rejects.toMatchObject({
      code: 'INTERRUPTED',
    });
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
    await expect(
      runOperation(s, plan(['a', 'b']), { kind: 'upgrade', install: false }, options(controller.signal)),
    ).rejects.toMatchObject({
      code: 'INTERRUPTED',
    });
    expect([...driver.records.values()].map((r) => [r.revision, r.status])).toEqual([
      [1, 'deployed'],
      [2, 'failed'],
    ]);
    expect(client.calls.some((c) => c.startsWith('delete'))).toBe(false); // "old" is pruned by the next operation
  });
});

describe('progress of the readiness wait', () => {
  test('quotes no secret value: a status message that holds one is redacted before it is shown', async () => {
    const { s, client } = memorySession();
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'ns' },
      stringData: { password: 'hunter2-secret' },
    };
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'ns' },
      spec: { replicas: 1 },
    };
    const base = plan([]);
    const get = client.get.bind(client);
    let reads = 0;
    client.get = async (ref) => {
      const live = await get(ref);
      if (ref.kind !== 'Deployment' || !live) return live;
      const failing = {
        type: 'ReplicaFailure',
        status: 'True',
        message: 'env DB_PASSWORD=hunter2-secret is refused by quota',
      };
      const counts = { replicas: 1, updatedReplicas: 1, availableReplicas: 1, readyReplicas: 1, observedGeneration: 1 };
      const available = { type: 'Available', status: 'True' };
      const status = ++reads < 2 ? { conditions: [failing] } : { ...counts, conditions: [available] };
      return { ...live, status };
    };
    const shown: string[] = [];
    const opts: OperationOptions = {
      ...options(new AbortController().signal),
      wait: true,
      onProgress: (_release, states) =>
        shown.push(...states.map((st) => `${st.readiness.reason} ${st.readiness.message ?? ''}`)),
    };
    await runOperation(s, { ...base, objects: [secret, deployment] }, { kind: 'install' }, opts);
    expect(shown.join('\n')).toContain('<redacted>');
    expect(shown.join('\n')).not.toContain('hunter2-secret');
  });
});
