import { describe, expect, test } from '@jest/globals';
import { cleanForDiff } from '../../../src/diff/index.js';
import { asLive, deployment } from './fixtures.js';

describe('cleanForDiff', () => {
  test('drops server-populated metadata, tool annotations and status', () => {
    const desired = deployment('web');
    expect(cleanForDiff(asLive(desired))).toEqual(desired);
  });

  test('keeps annotations the chart set, dropping only the tool ones', () => {
    const live = asLive(deployment('web'));
    (live.metadata!.annotations as Record<string, string>)['team'] = 'a';
    expect(cleanForDiff(live).metadata!.annotations).toEqual({ team: 'a' });
  });

  test('removes empty labels and annotations maps', () => {
    const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: {}, annotations: {} }, data: { a: '1' } };
    expect(cleanForDiff(o)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
  });

  test('does not mutate its input', () => {
    const live = asLive(deployment('web'));
    const before = structuredClone(live);
    cleanForDiff(live);
    expect(live).toEqual(before);
  });

  test('folds Secret stringData into base64 data, as the API server does', () => {
    const o = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'eA==', b: 'eQ==' }, stringData: { b: 'z' } };
    expect(cleanForDiff(o)).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'eA==', b: 'eg==' } });
  });

  test('tolerates objects without metadata', () => {
    expect(cleanForDiff({ kind: 'X', status: {} })).toEqual({ kind: 'X' });
  });
});
