// Judging Flux Kustomizations against the digest kc published: ready, failed with Flux's reason, or still going.
import { describe, expect, test } from '@jest/globals';
import { judgeKustomization } from '../../../src/gitops/flux-state.js';

const DIGEST = 'sha256:' + 'a'.repeat(64);
const OLD = 'sha256:' + 'b'.repeat(64);

function kustomization(status: Record<string, unknown>, generation = 2) {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'shop-prod-db', generation },
    status,
  };
}
const ready = (s: 'True' | 'False', reason: string, message = '') => ({ type: 'Ready', status: s, reason, message });

describe('judgeKustomization', () => {
  test('ready when Flux applied this digest for the current generation', () => {
    const k = kustomization({
      observedGeneration: 2,
      lastAppliedRevision: `prod@${DIGEST}`,
      conditions: [ready('True', 'ReconciliationSucceeded')],
    });
    expect(judgeKustomization('db', k, DIGEST)).toMatchObject({ state: 'ready', appliedRevision: `prod@${DIGEST}` });
  });

  test('Ready=True for an older digest is still progressing', () => {
    const k = kustomization({
      observedGeneration: 2,
      lastAppliedRevision: `prod@${OLD}`,
      conditions: [ready('True', 'ReconciliationSucceeded')],
    });
    expect(judgeKustomization('db', k, DIGEST).state).toBe('progressing');
  });

  test('a status from an older generation says nothing', () => {
    const k = kustomization({
      observedGeneration: 1,
      lastAppliedRevision: `prod@${DIGEST}`,
      conditions: [ready('True', 'ReconciliationSucceeded')],
    });
    expect(judgeKustomization('db', k, DIGEST).state).toBe('progressing');
  });

  test('a failed health check of this digest is failed, with the reason and message', () => {
    const k = kustomization({
      observedGeneration: 2,
      lastAttemptedRevision: DIGEST,
      lastAppliedRevision: `prod@${OLD}`,
      conditions: [
        ready('False', 'HealthCheckFailed', 'timeout waiting for: [Deployment/shop/web status: InProgress]'),
      ],
    });
    expect(judgeKustomization('web', k, DIGEST)).toEqual({
      release: 'web',
      state: 'failed',
      reason: 'HealthCheckFailed',
      message: 'timeout waiting for: [Deployment/shop/web status: InProgress]',
      appliedRevision: `prod@${OLD}`,
    });
  });

  test("a failure is read from the Ready condition's generation (status.observedGeneration moves only on success)", () => {
    const k = kustomization({
      observedGeneration: -1,
      lastAttemptedRevision: DIGEST,
      conditions: [{ ...ready('False', 'HealthCheckFailed', 'timeout'), observedGeneration: 2 }],
    });
    expect(judgeKustomization('web', k, DIGEST)).toMatchObject({ state: 'failed', reason: 'HealthCheckFailed' });
    const stale = kustomization({
      observedGeneration: -1,
      lastAttemptedRevision: DIGEST,
      conditions: [{ ...ready('False', 'HealthCheckFailed', 'timeout'), observedGeneration: 1 }],
    });
    expect(judgeKustomization('web', stale, DIGEST).state).toBe('progressing');
  });

  test('waiting for a dependency is progressing, not failed', () => {
    const k = kustomization({
      observedGeneration: 2,
      lastAttemptedRevision: DIGEST,
      conditions: [ready('False', 'DependencyNotReady', "dependency 'flux-system/shop-prod-db' is not ready")],
    });
    expect(judgeKustomization('web', k, DIGEST)).toMatchObject({ state: 'progressing', reason: 'DependencyNotReady' });
  });

  test('a missing Kustomization is progressing', () => {
    expect(judgeKustomization('db', undefined, DIGEST)).toMatchObject({ state: 'progressing', reason: 'NotFound' });
  });
});
