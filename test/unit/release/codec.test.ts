import crypto from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { decodePayload, encodePayload, PART_BYTES, type ReleaseRecord } from '../../../src/release/index.js';

const key = crypto.randomBytes(32);
const record = (manifest: string): ReleaseRecord => ({
  name: 'r', namespace: 'ns', revision: 1, status: 'deployed', chart: { name: 'c', version: '1.0.0' }, description: 'd', updated: 't',
  digest: 'x', values: { password: 'hunter2' }, userValues: {}, secretPaths: [['password']], manifest, inventory: [], firstDeployed: 't', deployedBy: 'u',
});

describe('record codec', () => {
  test('round-trips, and the stored bytes do not contain the values in plain text', () => {
    const parts = encodePayload(record('kind: ConfigMap\n'), key);
    expect(Buffer.concat(parts).includes(Buffer.from('hunter2'))).toBe(false);
    expect(decodePayload(parts, key, 'r v1')).toEqual(record('kind: ConfigMap\n'));
  });

  test('splits large payloads into parts of at most PART_BYTES', () => {
    const big = crypto.randomBytes(3 * 1024 * 1024).toString('base64');
    const parts = encodePayload(record(big), key);
    expect(parts.length).toBeGreaterThan(4);
    expect(parts.every((p) => p.length <= PART_BYTES)).toBe(true);
    expect(decodePayload(parts, key, 'r v1').manifest).toBe(big);
  });

  test.each([
    ['a wrong key', (p: Buffer[]) => p, crypto.randomBytes(32)],
    ['a flipped byte', (p: Buffer[]) => [Buffer.from(p[0].map((b, i) => (i === 20 ? b ^ 1 : b)))], key],
    ['a missing part', (p: Buffer[]) => p.slice(0, 1), key],
  ])('%s is RECORD_CORRUPT', (_name, mangle, k) => {
    const parts = encodePayload(record(crypto.randomBytes(700 * 1024).toString('base64')), key);
    expect(() => decodePayload(mangle(parts), k, 'r v1')).toThrow(expect.objectContaining({ code: 'RECORD_CORRUPT' }));
  });
});
