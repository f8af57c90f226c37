import { describe, expect, test } from '@jest/globals';
import { diffPlan } from '../../../src/diff/index.js';
import { describeRef } from '../../../src/kube/types.js';
import { asLive, deployment } from './fixtures.js';

function plan() {
  return [
    { desired: deployment('c-new') },
    { live: asLive(deployment('z-gone')) },
    { live: asLive(deployment('b-same')), desired: deployment('b-same') },
    { live: asLive(deployment('a-gone', 1, 'other')) },
    { live: asLive(deployment('a-changed', 1)), desired: deployment('a-changed', 2) },
    {},
  ];
}

describe('diffPlan', () => {
  test('counts each action', () => {
    const summary = diffPlan(plan(), {});
    expect(summary.counts).toEqual({ create: 1, update: 1, delete: 2, unchanged: 1 });
    expect(summary.hasChanges).toBe(true);
  });

  test('desired order first, then deletions by ref key', () => {
    const summary = diffPlan(plan(), {});
    expect(summary.changes.map((c) => `${c.action} ${describeRef(c.ref)}`)).toEqual([
      'create Deployment/ns/c-new',
      'unchanged Deployment/ns/b-same',
      'update Deployment/ns/a-changed',
      'delete Deployment/ns/z-gone',
      'delete Deployment/other/a-gone',
    ]);
  });

  test('deterministic whatever order the deletions arrive in', () => {
    const reversed = plan().reverse();
    const deletes = (pairs: ReturnType<typeof plan>) => diffPlan(pairs, {}).changes.filter((c) => c.action === 'delete');
    expect(deletes(reversed)).toEqual(deletes(plan()));
    expect(diffPlan(plan(), {})).toEqual(diffPlan(plan(), {}));
  });

  test('nothing to do', () => {
    const summary = diffPlan([{ live: asLive(deployment('web')), desired: deployment('web') }], {});
    expect(summary).toMatchObject({ hasChanges: false, counts: { create: 0, update: 0, delete: 0, unchanged: 1 } });
    expect(diffPlan([], {}).hasChanges).toBe(false);
  });
});
