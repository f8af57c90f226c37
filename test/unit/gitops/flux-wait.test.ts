// Waiting for Flux: bounded reads until ready, the first failure with Flux's reason, or the deadline.
import { describe, expect, test } from '@jest/globals';
import { KUSTOMIZATION, waitForFlux } from '../../../src/gitops/flux-wait.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import { FakeKube } from '../../helpers/fake-kube.js';

const DIGEST = 'sha256:' + 'c'.repeat(64);

function kustomization(
  name: string,
  status: 'True' | 'False',
  reason: string,
  revision = `prod@${DIGEST}`,
): KubeObject {
  return {
    ...KUSTOMIZATION,
    metadata: { name, namespace: 'flux-system', generation: 1 },
    status: {
      observedGeneration: 1,
      lastAppliedRevision: revision,
      lastAttemptedRevision: revision,
      conditions: [{ type: 'Ready', status, reason, message: `${reason} message` }],
    },
  };
}

const wait = (kube: FakeKube, clock = fakeClock(), timeoutMs = 10_000) =>
  waitForFlux(kube, {
    namespace: 'flux-system',
    digest: DIGEST,
    timeoutMs,
    clock,
    pollMs: 500,
    kustomizations: [
      { release: 'db', name: 'shop-prod-db' },
      { release: 'web', name: 'shop-prod-web' },
    ],
  });

describe('waitForFlux', () => {
  test('resolves when every release is ready', async () => {
    const kube = new FakeKube();
    await kube.create(kustomization('shop-prod-db', 'True', 'ReconciliationSucceeded'));
    await kube.create(kustomization('shop-prod-web', 'True', 'ReconciliationSucceeded'));
    expect((await wait(kube)).map((s) => s.state)).toEqual(['ready', 'ready']);
  });

  test('a failed release ends the wait with NOT_READY naming it and the reason', async () => {
    const kube = new FakeKube();
    await kube.create(kustomization('shop-prod-db', 'True', 'ReconciliationSucceeded'));
    await kube.create(kustomization('shop-prod-web', 'False', 'HealthCheckFailed'));
    await expect(wait(kube)).rejects.toMatchObject({
      code: 'NOT_READY',
      details: ['web: HealthCheckFailed: HealthCheckFailed message'],
    });
  });

  test('times out after a bounded number of reads, naming what is unfinished', async () => {
    const kube = new FakeKube();
    await kube.create(kustomization('shop-prod-db', 'True', 'ReconciliationSucceeded'));
    const clock = fakeClock();
    const err = await wait(kube, clock, 5_000).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TIMEOUT', details: ['web: NotFound: the Kustomization does not exist yet'] });
    expect(clock.sleeps.length).toBeLessThanOrEqual(11);
  });
});
