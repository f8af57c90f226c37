// --force-replace and the kc.dev/force-replace annotation through a whole upgrade, over the memory session.
import { describe, expect, test } from '@jest/globals';
import { runOperation, type OperationOptions, type ReleasePlan } from '../../../src/actions/release-operation.js';
import { FORCE_REPLACE_ANNOTATION } from '../../../src/kube/replace.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { memorySession } from '../../helpers/memory-session.js';

/** A Job whose template (immutable, as in Kubernetes) carries `image`, and a ConfigMap that may change freely. */
function plan(image: string, annotate = false): ReleasePlan {
  const annotations = annotate ? { [FORCE_REPLACE_ANNOTATION]: 'true' } : {};
  const job: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: 'ns', annotations },
    spec: { template: { spec: { containers: [{ name: 'm', image }] } } },
  };
  const config: KubeObject = {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns' }, data: { image },
  };
  return {
    name: 'app',
    namespace: 'ns',
    chart: { name: 'jobs', version: '1.0.0' },
    objects: [config, job],
    values: { image },
    userValues: { image },
    secretPaths: [],
  };
}

const imageOf = (o: KubeObject | undefined): unknown =>
  (o?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image;

const options: OperationOptions = {
  wait: false, timeoutMs: 1000, atomic: false, force: false, adopt: false, historyMax: 10, waitForLockMs: 0,
};
const upgrade = { kind: 'upgrade', install: true } as const;

function session() {
  const { s, client, driver } = memorySession();
  client.immutable = (sent, live) => sent.kind === 'Job' && imageOf(sent) !== imageOf(live);
  const job = () => [...client.objects.values()].find((o) => o.kind === 'Job');
  return { s, client, driver, job };
}

describe('an upgrade that changes an immutable field', () => {
  test('fails with FIELD_IMMUTABLE without the flag: revision 2 failed, 1 still deployed, Job untouched', async () => {
    const { s, client, job } = session();
    await runOperation(s, plan('v1'), upgrade, options);
    const before = job();
    await expect(runOperation(s, plan('v2'), upgrade, options)).rejects.toMatchObject({ code: 'FIELD_IMMUTABLE' });
    expect(job()).toBe(before);
    expect(client.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
    const history = await s.store.history('ns', 'app');
    expect(history.map((h) => [h.revision, h.status])).toEqual([[1, 'deployed'], [2, 'failed']]);
  });

  test('with --force-replace replaces the Job and reports it; the ConfigMap is updated in place', async () => {
    const { s, client, job } = session();
    await runOperation(s, plan('v1'), upgrade, options);
    const result = await runOperation(s, plan('v2'), upgrade, { ...options, forceReplace: true });
    expect(result.status).toBe('deployed');
    expect(result.replaced).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', namespace: 'ns', name: 'migrate' }]);
    expect(imageOf(job())).toBe('v2');
    expect(client.calls.filter((c) => c.startsWith('delete'))).toEqual(['delete Job/migrate']);
  });

  test('the annotation opts the Job in without the flag', async () => {
    const { s, job } = session();
    await runOperation(s, plan('v1', true), upgrade, options);
    const result = await runOperation(s, plan('v2', true), upgrade, options);
    expect(result.replaced?.map((r) => r.name)).toEqual(['migrate']);
    expect(imageOf(job())).toBe('v2');
  });

  test('an upgrade without immutable changes replaces nothing', async () => {
    const { s } = session();
    await runOperation(s, plan('v1'), upgrade, options);
    const again = await runOperation(s, plan('v1'), upgrade, { ...options, reapply: true, forceReplace: true });
    expect(again.replaced).toEqual([]);
  });
});
