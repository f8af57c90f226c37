import { describe, expect, test } from '@jest/globals';
import { diffPlan, overlayOnLive, renderDiff } from '../../../src/diff/index.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { asLive, deployment } from './fixtures.js';

const reason = "spec: Forbidden: updates to statefulset spec for fields other than 'replicas' … are forbidden";

describe('overlayOnLive', () => {
  test('keeps what the server filled in, takes the chart\'s values, lists item by item when as long', () => {
    const live = {
      apiVersion: 'v1', kind: 'X', metadata: { name: 'x', uid: 'u' },
      spec: { a: 1, filled: 'default', items: [{ name: 'c', size: '1Gi', mode: 'Filesystem' }] },
    } as KubeObject;
    const sent = {
      apiVersion: 'v1', kind: 'X', metadata: { name: 'x' }, spec: { a: 2, items: [{ name: 'c', size: '2Gi' }] },
    };
    expect(overlayOnLive(live, sent)).toEqual({
      apiVersion: 'v1', kind: 'X', metadata: { name: 'x', uid: 'u' },
      spec: { a: 2, filled: 'default', items: [{ name: 'c', size: '2Gi', mode: 'Filesystem' }] },
    });
    expect(overlayOnLive(live, { ...sent, spec: { items: [] } }).spec).toEqual({ a: 1, filled: 'default', items: [] });
    expect(overlayOnLive(undefined, sent)).toBe(sent);
  });
});

describe('immutable changes in a diff', () => {
  test('one the deploy replaces is "± replace" with the reason and a verdict, counted in the plan line', () => {
    const summary = diffPlan([
      {
        live: asLive(deployment('db', 1)),
        desired: deployment('db', 2),
        immutable: { replace: true, details: [reason] },
      },
    ]);
    expect(summary.hasChanges).toBe(true);
    const text = renderDiff(summary, { color: false });
    expect(text.split('\n').slice(0, 3)).toEqual([
      '± replace Deployment/ns/db',
      `! ${reason}`,
      '! will be replaced (immutable field changed): deleted and created again from the chart',
    ]);
    expect(text).toContain('-  replicas: 1\n+  replicas: 2\n');
    expect(text).toContain('Plan: 0 to create, 1 to update (1 by replacing), 0 to delete (0 unchanged).');
  });

  test('one the deploy fails on says what it needs; an estimate showing no change still counts as a change', () => {
    const same = deployment('db');
    const refusal = 'needs --force-replace (or kc.dev/force-replace: "true")';
    const immutable = { replace: false, details: [reason], refusal };
    const summary = diffPlan([{ live: asLive(same), desired: same, immutable }]);
    expect(summary.counts).toEqual({ create: 0, update: 1, delete: 0, unchanged: 0 });
    expect(renderDiff(summary, { color: false })).toBe(
      [
        '~ update Deployment/ns/db',
        `! ${reason}`,
        `! immutable field changed: the deploy fails, ${refusal}`,
        '',
        'Plan: 0 to create, 1 to update, 0 to delete (0 unchanged).',
        '',
      ].join('\n'),
    );
  });
});
