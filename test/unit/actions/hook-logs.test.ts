// kc test --logs: every test Pod's logs (a Job's Pods too) are read before the delete policy removes them.
import { describe, expect, test } from '@jest/globals';
import { runHooks } from '../../../src/actions/hooks.js';
import type { TestOutcome } from '../../../src/actions/test.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { testLogsText } from '../../../cli/test-logs.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import { FakeKube } from '../../helpers/fake-kube.js';

/** A FakeKube whose Pods have logs, answered only while the Pod exists (as a real server). */
function loggingKube(texts: Record<string, string>): FakeKube {
  const client = new FakeKube();
  return Object.assign(client, {
    podLogs: async (namespace: string, pod: string): Promise<string | undefined> =>
      (await client.get({ apiVersion: 'v1', kind: 'Pod', namespace, name: pod })) ? texts[pod] : undefined,
  });
}

const annotations = (policy: string) => ({ 'kc.dev/hook': 'test', 'kc.dev/hook-delete-policy': policy });
const testPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-test', namespace: 'ns', annotations: annotations('hook-succeeded') },
  status: { phase: 'Succeeded' },
};
const testJob: KubeObject = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'db-test', namespace: 'ns', annotations: annotations('before-hook-creation') },
  status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] },
};
const jobPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'db-test-x1', namespace: 'ns', labels: { 'job-name': 'db-test' } },
};

const run = (client: FakeKube, logs: boolean) =>
  runHooks(client, [testPod, testJob], 'test', {
    release: 'r',
    namespace: 'ns',
    timeoutMs: 1000,
    clock: fakeClock(),
    runAll: true,
    logs,
  });

describe('test hook logs', () => {
  test('with logs, each Pod hook and each Pod of a Job hook has its full logs, even when deleted after success', async () => {
    const client = loggingKube({ 'web-test': 'ok 1\nok 2\n', 'db-test-x1': 'connecting\n\u001b[31mrefused\n' });
    await client.apply(jobPod, { fieldManager: 'test' });
    const results = await run(client, true);
    expect(results.map((r) => [r.ref.kind, r.ok, r.logs])).toEqual([
      ['Job', false, [{ pod: 'db-test-x1', text: 'connecting\n\u001b[31mrefused\n' }]],
      ['Pod', true, [{ pod: 'web-test', text: 'ok 1\nok 2\n' }]],
    ]);
    // hook-succeeded removed the Pod after its logs were read.
    expect(await client.get({ apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: 'web-test' })).toBeUndefined();
  });

  test("without logs, nothing is read beyond a failure's tail", async () => {
    const client = loggingKube({ 'web-test': 'ok\n' });
    const results = await run(client, false);
    expect(results.every((r) => r.logs === undefined)).toBe(true);
  });

  test('the CLI prints a header per Pod and the logs with control characters escaped', () => {
    const outcome = (logs: TestOutcome['logs']): TestOutcome => ({
      name: 'x',
      type: 'object',
      ok: true,
      reason: '',
      details: [],
      durationMs: 0,
      logs,
    });
    const lines = testLogsText([
      outcome([{ pod: 'db-test-x1', text: 'a\n\u001b[31mb\n' }]),
      outcome(undefined),
      outcome([{ pod: 'p\u001b', text: '' }]),
    ]);
    expect(lines.join('\n')).toBe('--- logs of Pod/db-test-x1 ---\na\n\\x1b[31mb\n\n--- logs of Pod/p\\x1b ---\n\n');
  });
});
