import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, test } from '@jest/globals';
import { decodePayload, encodePayload, PART_BYTES, type ReleaseRecord } from '../../../src/release/index.js';

const key = crypto.randomBytes(32);
const configMap = (data: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { data } });
const record = (data: string): ReleaseRecord => ({
  name: 'r', namespace: 'ns', revision: 1, status: 'deployed', chart: { name: 'c', version: '1.0.0' }, description: 'd', updated: 't',
  digest: 'x', values: { password: 'hunter2' }, userValues: {}, secretPaths: [['password']], objects: [configMap(data)], hookObjects: [],
  inventory: [], firstDeployed: 't', deployedBy: 'u',
});

/** Seals a payload as encodePayload does, for a stored shape encodePayload no longer writes. */
function sealLegacy(payload: object): Buffer[] {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(zlib.gzipSync(JSON.stringify(payload))), cipher.final()]);
  return [Buffer.concat([Buffer.from([1]), iv, body, cipher.getAuthTag()])];
}

describe('record codec', () => {
  test('round-trips, and the stored bytes do not contain the values in plain text', () => {
    const parts = encodePayload(record('x'), key);
    expect(Buffer.concat(parts).includes(Buffer.from('hunter2'))).toBe(false);
    expect(decodePayload(parts, key, 'r v1')).toEqual(record('x'));
  });

  test('splits large payloads into parts of at most PART_BYTES', () => {
    const big = crypto.randomBytes(3 * 1024 * 1024).toString('base64');
    const parts = encodePayload(record(big), key);
    expect(parts.length).toBeGreaterThan(4);
    expect(parts.every((p) => p.length <= PART_BYTES)).toBe(true);
    expect(decodePayload(parts, key, 'r v1').objects).toEqual([configMap(big)]);
  });

  test('reads records of earlier builds, which kept the objects and hooks as YAML text', () => {
    const { objects: _objects, hookObjects: _hooks, ...rest } = record('x');
    const legacy = { ...rest, manifest: '---\n# Source: ConfigMap/cm\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  data: x\n', hooks: '' };
    expect(decodePayload(sealLegacy(legacy), key, 'r v1')).toEqual(record('x'));
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
