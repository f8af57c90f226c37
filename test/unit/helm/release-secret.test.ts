import fs from 'node:fs';
import zlib from 'node:zlib';
import { describe, expect, test } from '@jest/globals';
import { decodeHelmRelease, helmSecretName } from '../../../src/helm/release-secret.js';
import { isKcError } from '../../../src/errors/index.js';
import { helmData, helmRelease } from '../../helpers/helm-record.js';

const real = fs.readFileSync(new URL('../../fixtures/helm-records/hello.v1.release.b64', import.meta.url), 'utf8');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isKcError(err) ? `${err.code}: ${err.message}` : String(err);
  }
  return undefined;
}

describe('Helm release records', () => {
  test('helmSecretName is the Secret driver name', () => {
    expect(helmSecretName('hello', 12)).toBe('sh.helm.release.v1.hello.v12');
  });

  test('a real Helm 4.3.2 record decodes: revision, status, chart, manifest, hooks, notes, times', () => {
    const r = decodeHelmRelease(real, 'Secret x');
    expect(r).toMatchObject({
      name: 'hello',
      namespace: 'adopt-manual-8959',
      revision: 1,
      status: 'superseded',
      description: 'Install complete',
      chart: { name: 'hello', version: '0.1.0', appVersion: '1.16.0' },
      config: {},
      firstDeployed: '2026-12-06T18:19:26.407Z',
      lastDeployed: '2026-12-06T18:19:26.407Z',
    });
    expect(r.chartValues).toHaveProperty('replicaCount', 1);
    expect(r.manifest).toContain('kind: Deployment');
    expect(r.notes).toContain('port-forward');
    expect(r.hooks).toEqual([
      expect.objectContaining({
        name: 'hello-test-connection',
        kind: 'Pod',
        events: ['test'],
        weight: 0,
        deletePolicies: [],
      }),
    ]);
  });

  test('a built record decodes, gzipped or not (Helm reads both)', () => {
    for (const gzip of [true, false]) {
      const r = decodeHelmRelease(helmData(helmRelease(), gzip), 'Secret x');
      expect(r).toMatchObject({
        revision: 2,
        status: 'deployed',
        config: { replicas: 2 },
        chartValues: { replicas: 1 },
        firstDeployed: '2025-01-02T03:04:05.123Z',
        lastDeployed: '2025-02-02T03:04:05.500Z',
      });
      expect(r.hooks[0]).toEqual({
        name: 'web-migrate',
        kind: 'Job',
        path: 'web/templates/job.yaml',
        manifest: expect.stringContaining('kind: Job'),
        events: ['pre-upgrade', 'pre-install'],
        weight: -5,
        deletePolicies: ['hook-succeeded'],
      });
    }
  });

  test("null config and hooks, Go's zero time and a missing last time are read as Helm means them", () => {
    const info = { first_deployed: '2025-01-02T03:04:05Z', last_deployed: '0001-01-01T00:00:00Z', status: 'failed' };
    const r = decodeHelmRelease(helmData(helmRelease({ info, config: null, hooks: null })), 'Secret x');
    expect(r).toMatchObject({ status: 'failed', config: {}, hooks: [], description: '' });
    expect(r.lastDeployed).toBe('2025-01-02T03:04:05.000Z');
    expect(r.notes).toBeUndefined();
  });

  test('damaged or foreign data is HELM_RECORD_INVALID, naming the Secret and why', () => {
    const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
    expect(codeOf(() => decodeHelmRelease(b64('not base64 ***'), 'Secret ns/s'))).toMatch(
      /^HELM_RECORD_INVALID: Helm release record Secret ns\/s cannot be read: its data is not base64/,
    );
    const gz = zlib.gzipSync('{"name":"x"}');
    const damaged = Buffer.concat([gz.subarray(0, 12), Buffer.from('garbage')]);
    expect(codeOf(() => decodeHelmRelease(b64(damaged.toString('base64')), 'S'))).toMatch(/its gzip data is damaged/);
    expect(codeOf(() => decodeHelmRelease(b64(b64('hello there')), 'S'))).toMatch(/holds no JSON/);
    expect(codeOf(() => decodeHelmRelease(helmData({ name: 'x' }), 'S'))).toMatch(/not a Helm release/);
  });

  test('a record with a wrong field says which, in the details', () => {
    try {
      decodeHelmRelease(helmData(helmRelease({ version: 'two' })), 'S');
      throw new Error('decoded');
    } catch (err) {
      expect(isKcError(err) && err.details.join('\n')).toMatch(/^version: /m);
    }
    const unknownStatus = helmRelease({ info: { status: 'exploded' } });
    expect(codeOf(() => decodeHelmRelease(helmData(unknownStatus), 'S'))).toMatch(/^HELM_RECORD_INVALID/);
  });
});
