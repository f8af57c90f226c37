// How long kc waits for Flux: long enough that Flux, not kc's deadline, says why a release is not ready.
import { describe, expect, test } from '@jest/globals';
import { FLUX_DEPENDENCY_REQUEUE_MS, FLUX_GRACE_MS, fluxWaitMs } from '../../../src/actions/flux-deploy.js';

describe('fluxWaitMs', () => {
  test('one wave: the health-check timeout and the grace', () => {
    expect(fluxWaitMs(20_000, 1)).toBe(20_000 + FLUX_GRACE_MS);
  });

  test("each later wave may start a dependency requeue late (kustomize-controller's 30 s), then runs its checks", () => {
    expect(fluxWaitMs(20_000, 2)).toBe(2 * 20_000 + FLUX_DEPENDENCY_REQUEUE_MS + FLUX_GRACE_MS);
    expect(FLUX_DEPENDENCY_REQUEUE_MS).toBe(30_000);
  });
});
