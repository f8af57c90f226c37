import { describe, expect, test } from '@jest/globals';
import { statusVerdict, type ObjectStatus } from '../../../src/actions/status.js';

const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'x' };
const ready = { ready: true, reason: 'Exists' };
const pending = { ready: false, reason: 'Pending' };
const row = (more: Partial<ObjectStatus>): ObjectStatus => ({
  ref,
  exists: true,
  readiness: ready,
  sync: 'synced',
  ...more,
});
const gone = { ready: false, reason: 'missing' };
const missing = row({ exists: false, readiness: gone, sync: 'missing', drift: { kind: 'missing', reason: 'missing' } });

describe('statusVerdict', () => {
  test.each<[string, ObjectStatus[], string]>([
    ['every object synced and ready', [row({}), row({})], 'ready'],
    ['no objects at all', [], 'ready'],
    ['one synced object not ready', [row({}), row({ readiness: pending })], 'not-ready'],
    ['one missing', [row({}), missing], 'drifted'],
    ['one edited, though ready', [row({ sync: 'drifted', drift: { kind: 'edited', reason: 'edited' } })], 'drifted'],
    ['drift and unreadiness: drift wins', [row({ readiness: pending }), row({ sync: 'drifted' })], 'drifted'],
  ])('%s', (_, objects, verdict) => {
    expect(statusVerdict(objects)).toBe(verdict);
  });
});
