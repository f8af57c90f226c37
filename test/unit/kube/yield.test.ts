import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../../src/kube/types.js';
import { applyYielding, kcOwns, planYield, withoutPaths, yieldView, yieldedPaths, YIELD_ANNOTATION } from '../../../src/kube/yield.js';
import { FakeKube } from '../../helpers/fake-kube.js';

const deployment = (replicas: number, managedFields?: unknown[]): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', annotations: { [YIELD_ANNOTATION]: 'spec.replicas, spec.paused' }, ...(managedFields ? { managedFields } : {}) },
  spec: { replicas, selector: { matchLabels: { app: 'web' } } },
});
const kcApplied = { manager: 'kc', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:selector': {} } } };
const scaled = { manager: 'kubectl', operation: 'Update', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } };

describe('yielded fields', () => {
  test('the annotation lists dotted paths', () => {
    expect(yieldedPaths(deployment(1))).toEqual([['spec', 'replicas'], ['spec', 'paused']]);
    expect(yieldedPaths({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toEqual([]);
  });

  test('withoutPaths removes the fields and the maps left empty, and leaves the input alone', () => {
    const o = { apiVersion: 'v1', kind: 'X', metadata: { name: 'x' }, spec: { replicas: 2 }, data: { a: { b: 1 }, c: 2 } };
    expect(withoutPaths(o, [['spec', 'replicas'], ['data', 'a', 'b'], ['no', 'such']])).toEqual({ apiVersion: 'v1', kind: 'X', metadata: { name: 'x' }, data: { c: 2 } });
    expect(o.spec.replicas).toBe(2);
  });

  test('kcOwns reads kc\'s Apply entry in managedFields', () => {
    expect(kcOwns(deployment(1, [kcApplied]), ['spec', 'replicas'])).toBe(true);
    expect(kcOwns(deployment(1, [{ ...kcApplied, fieldsV1: { 'f:spec': { 'f:selector': {} } } }, scaled]), ['spec', 'replicas'])).toBe(false);
  });

  test('a new object is sent whole; an existing one without its yielded fields', () => {
    expect(planYield(deployment(2), undefined)).toEqual({ body: deployment(2) });
    const live = deployment(5, [{ ...kcApplied, fieldsV1: { 'f:spec': { 'f:selector': {} } } }, scaled]);
    const plan = planYield(deployment(2), live);
    expect(plan.handover).toBeUndefined();
    expect((plan.body as { spec: object }).spec).toEqual({ selector: { matchLabels: { app: 'web' } } });
  });

  test('fields kc still owns are handed over with their live value before kc lets go of them', () => {
    const plan = planYield(deployment(2), deployment(3, [kcApplied]));
    expect(plan.handover).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'ns' }, spec: { replicas: 3 } });
    expect((plan.body as { spec: Record<string, unknown> }).spec.replicas).toBeUndefined();
  });

  test('yieldView keeps fields kc still owns (so a comparison sees no change) and drops the others', () => {
    expect(yieldView(deployment(2), deployment(2, [kcApplied]))).toEqual(deployment(2));
    expect((yieldView(deployment(2), deployment(7, [scaled])) as { spec: Record<string, unknown> }).spec.replicas).toBeUndefined();
  });

  test('applyYielding hands over, then applies without the field; a dry run writes nothing', async () => {
    const client = new FakeKube();
    client.managedFields = false;
    await client.apply(deployment(3, [kcApplied]), {});
    client.calls.length = 0;
    const applied: { manager?: string; body: KubeObject }[] = [];
    const apply = client.apply.bind(client);
    client.apply = async (o, options) => {
      if (!options.dryRun) applied.push({ manager: options.fieldManager, body: o });
      return apply(o, options);
    };
    await applyYielding(client, deployment(1), { dryRun: true });
    expect(applied).toEqual([]);
    await applyYielding(client, deployment(1), {});
    expect(applied.map((a) => a.manager)).toEqual(['kc-yielded', 'kc']);
    expect((applied[0].body as { spec: object }).spec).toEqual({ replicas: 3 });
    expect((applied[1].body as { spec: Record<string, unknown> }).spec.replicas).toBeUndefined();
  });
});

test('the chart SDK and the apply path agree on the annotation', async () => {
  const { YIELD_FIELDS_ANNOTATION } = await import('../../../src/chart/yield-fields.js');
  expect(YIELD_FIELDS_ANNOTATION).toBe(YIELD_ANNOTATION);
});
