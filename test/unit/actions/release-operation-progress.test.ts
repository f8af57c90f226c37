// Progress of an operation's readiness wait quotes no secret value: not in a status message, nor in the explanation
// (a pod's condition, an event) shown once an object has waited a few seconds.
import { describe, expect, test } from '@jest/globals';
import { runOperation, type OperationOptions } from '../../../src/actions/release-operation.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import { memorySession } from '../../helpers/memory-session.js';

const secret = {
  ...{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'ns' } },
  stringData: { password: 'hunter2-secret' },
};
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } } },
};
const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-abc', namespace: 'ns', labels: { app: 'web' } },
  status: {
    phase: 'Pending',
    conditions: [
      { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'no node has hunter2-secret' },
    ],
  },
};

describe('progress of the readiness wait', () => {
  test('the explanation of an unready object is redacted as its status is', async () => {
    const { s, client } = memorySession();
    await client.apply(pod, { fieldManager: 'test' });
    const shown: string[] = [];
    const options: OperationOptions = {
      ...{ wait: true, timeoutMs: 8000, atomic: false, force: false, adopt: false, historyMax: 10, waitForLockMs: 0 },
      onProgress: (_release, states) => shown.push(...states.flatMap((st) => (st.why ? [st.why] : []))),
    };
    const plan = {
      ...{ name: 'app', namespace: 'ns', chart: { name: 'web', version: '1.0.0' }, values: {}, userValues: {} },
      objects: [secret, deployment],
      secretPaths: [],
    };
    await expect(runOperation({ ...s, clock: fakeClock() }, plan, { kind: 'install' }, options)).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    expect(shown).toContain('pod web-abc is Unschedulable: no node has <redacted>');
    expect(shown.join('\n')).not.toContain('hunter2');
  });
});
