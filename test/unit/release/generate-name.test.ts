// --generate-name: `<chart>-<unix seconds>` from the chart argument, as Helm, always a valid release name.
import { describe, expect, test } from '@jest/globals';
import { chartBaseName, generatedReleaseName } from '../../../src/release/generate-name.js';
import { releaseNameOf } from '../../../src/actions/install.js';
import { releaseNameProblem } from '../../../src/release/name.js';
import type { KcContext } from '../../../src/context.js';

const now = new Date('2026-12-06T12:00:00Z'); // 1796558400 seconds

describe('generatedReleaseName', () => {
  test.each([
    ['charts/mysql', 'mysql'],
    ['charts/mysql/', 'mysql'],
    ['./mysql-1.2.0.tgz', 'mysql'],
    ['stable/redis', 'redis'],
    ['stable/redis@^1.0.0', 'redis'],
    ['oci://127.0.0.1:5000/charts/web:1.0.0', 'web'],
    ['oci://127.0.0.1:5000/charts/web@sha256:abc', 'web'],
    ['https://127.0.0.1/charts/Hello_World-0.1.0.tgz', 'hello-world'],
    ['.', 'work'],
    ['___', 'chart'],
  ])('%s gives %s', (chart, base) => {
    expect(chartBaseName(chart, '/tmp/work')).toBe(base);
    expect(generatedReleaseName(chart, now, '/tmp/work')).toBe(`${base}-1796558400`);
  });

  test('a long chart name is shortened so the name stays at most 53 characters', () => {
    const name = generatedReleaseName(`charts/${'a'.repeat(40)}-${'b'.repeat(40)}`, now, '/');
    expect(name).toHaveLength(53);
    expect(name.endsWith('-1796558400')).toBe(true);
    expect(releaseNameProblem(name)).toBeUndefined();
  });
});

describe('releaseNameOf', () => {
  const ctx = { clock: { now: () => now, sleep: async () => undefined }, cwd: '/tmp/work' } as unknown as KcContext;
  const base = {
    chart: 'charts/mysql',
    wait: false,
    timeoutMs: 0,
    atomic: false,
    force: false,
    adopt: false,
    historyMax: 0,
    waitForLockMs: 0,
  };

  test('--generate-name takes the time from the injected clock', () => {
    expect(releaseNameOf(ctx, { ...base, generateName: true }, 'install')).toBe('mysql-1796558400');
  });

  test('a release name with --generate-name, --generate-name on upgrade, or no name at all are USAGE', () => {
    expect(() => releaseNameOf(ctx, { ...base, generateName: true, release: 'db' }, 'install')).toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('both name the release') }),
    );
    expect(() => releaseNameOf(ctx, { ...base, generateName: true }, 'upgrade')).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
    expect(() => releaseNameOf(ctx, base, 'install')).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(releaseNameOf(ctx, { ...base, release: 'db' }, 'upgrade')).toBe('db');
  });
});
