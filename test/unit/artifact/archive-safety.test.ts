import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, test } from '@jest/globals';
import * as tar from 'tar';
import { DEFAULT_ARCHIVE_LIMITS, deterministicTgz, readArchive, unsafePathReason } from '../../../src/artifact/index.js';
import { isKcError } from '../../../src/errors/index.js';
import { openPackagedChart } from '../../../src/repo/index.js';
import { memoryHttp, rawTar, rawTgz, tempDir } from '../../fixtures/artifacts/helpers.js';

const small = { ...DEFAULT_ARCHIVE_LIMITS, maxEntryBytes: 1024, maxTotalBytes: 4096, maxEntries: 8 };

async function refusal(archive: Buffer, limits = DEFAULT_ARCHIVE_LIMITS): Promise<{ code: string; message: string }> {
  try {
    await readArchive(archive, 'evil.tgz', limits);
  } catch (err) {
    if (isKcError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('the archive was accepted');
}

describe('reading untrusted archives', () => {
  test('a well-formed archive gives its files', async () => {
    const files = await readArchive(deterministicTgz([{ path: 'a.txt', data: Buffer.from('A') }, { path: 'charts/b.tgz', data: Buffer.from('B') }]), 'ok.tgz');
    expect([...files.keys()]).toEqual(['a.txt', 'charts/b.tgz']);
    expect(files.get('a.txt')!.toString()).toBe('A');
  });

  test.each([
    ['a ".." path', [{ path: '../../etc/cron.d/evil', data: 'x' }], 'climbs out of the archive with ".."'],
    ['a ".." in the middle', [{ path: 'charts/../../evil', data: 'x' }], 'climbs out of the archive'],
    ['an absolute path', [{ path: '/etc/passwd', data: 'x' }], 'has an absolute path'],
    ['a Windows drive path', [{ path: 'C:/evil', data: 'x' }], 'has an absolute path'],
    ['a backslash', [{ path: '..\\evil', data: 'x' }], 'has a backslash'],
    ['a symbolic link', [{ path: 'chart.cjs', type: 'SymbolicLink', linkpath: '/etc/passwd' }], 'is a symbolic link (to /etc/passwd)'],
    ['a hard link', [{ path: 'chart.cjs', type: 'Link', linkpath: '/etc/shadow' }], 'is a hard link (to /etc/shadow)'],
    ['a device', [{ path: 'tty', type: 'CharacterDevice' }], 'is a CharacterDevice, not a regular file'],
    ['a duplicate entry', [{ path: 'a', data: '1' }, { path: 'a', data: '2' }], 'entry "a" appears twice'],
  ] as const)('%s is refused as ARCHIVE_UNSAFE', async (_name, entries, reason) => {
    const { code, message } = await refusal(rawTgz(entries.map((e) => ({ ...e }))));
    expect(code).toBe('ARCHIVE_UNSAFE');
    expect(message).toContain('evil.tgz is refused: ');
    expect(message).toContain(reason);
  });

  test('an entry over the per-entry cap is refused before its bytes are read', async () => {
    const { code, message } = await refusal(rawTgz([{ path: 'big', data: Buffer.alloc(2048) }]), small);
    expect(code).toBe('ARCHIVE_UNSAFE');
    expect(message).toContain('entry "big" is 2 KiB, more than the 1 KiB allowed per entry');
  });

  test('entries adding up over the total cap are refused', async () => {
    const entries = Array.from({ length: 5 }, (_, i) => ({ path: `f${i}`, data: Buffer.alloc(1000) }));
    expect((await refusal(rawTgz(entries), small)).message).toContain('its entries add up to more than');
  });

  test('too many entries are refused', async () => {
    const entries = Array.from({ length: 9 }, (_, i) => ({ path: `f${i}`, data: 'x' }));
    expect((await refusal(rawTgz(entries), small)).message).toContain('it has more than 8 entries');
  });

  test('with the default limits, a 65 MiB entry (a zip bomb of zeros) is refused', async () => {
    const bomb = rawTgz([{ path: 'chart.cjs', data: Buffer.alloc(65 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes);
    const { code, message } = await refusal(bomb);
    expect(code).toBe('ARCHIVE_UNSAFE');
    expect(message).toMatch(/more than the 64 MiB allowed per entry|expands to more than/);
  });

  test('an archive that expands beyond the total cap is stopped while decompressing', async () => {
    const bomb = rawTgz([{ path: 'a', data: Buffer.alloc(1000) }, { path: 'b', data: Buffer.alloc(1000) }, { path: 'c', data: Buffer.alloc(20000) }]);
    expect((await refusal(bomb, { ...small, maxEntryBytes: 100000 })).message).toContain('expands to more than');
  });

  test('a truncated gzip stream is ARCHIVE_CORRUPT', async () => {
    const whole = deterministicTgz([{ path: 'manifest.json', data: Buffer.from('{}'.repeat(5000)) }]);
    const { code, message } = await refusal(whole.subarray(0, Math.floor(whole.length / 2)));
    expect(code).toBe('ARCHIVE_CORRUPT');
    expect(message).toBe('evil.tgz is not a readable chart archive: the gzip stream is truncated');
  });

  test('a tar cut short inside an entry is ARCHIVE_CORRUPT', async () => {
    const tarBytes = rawTar([{ path: 'a', data: Buffer.alloc(4000, 1) }]);
    const { code, message } = await refusal(zlibGzip(tarBytes.subarray(0, 1500)));
    expect(code).toBe('ARCHIVE_CORRUPT');
    expect(message).toMatch(/Truncated input|unexpected end/i);
  });

  test('text that is not gzip, and gzip that is not tar, are ARCHIVE_CORRUPT', async () => {
    expect(await refusal(Buffer.from('not an archive'))).toEqual({ code: 'ARCHIVE_CORRUPT', message: 'evil.tgz is not a readable chart archive: it is not gzip-compressed' });
    expect((await refusal(zlibGzip(Buffer.alloc(2048, 7)))).message).toContain('it does not contain a tar archive');
    // A gzip inside the gzip would be decompressed again by a tar parser, without our limits: refused.
    expect((await refusal(zlibGzip(rawTgz([{ path: 'a', data: 'x' }])))).message).toContain('it does not contain a tar archive');
  });

  test('an archive made by tar itself with a symlink to a secret is refused', async () => {
    const t = tempDir();
    try {
      fs.writeFileSync(path.join(t.dir, 'manifest.json'), '{}');
      fs.symlinkSync('/etc/passwd', path.join(t.dir, 'chart.cjs'));
      const file = path.join(t.dir, 'evil.tgz');
      await tar.create({ gzip: true, cwd: t.dir, file, portable: true }, ['manifest.json', 'chart.cjs']);
      expect((await refusal(fs.readFileSync(file))).message).toContain('entry "chart.cjs" is a symbolic link (to /etc/passwd)');
    } finally {
      t.remove();
    }
  });

  test('unsafePathReason accepts plain relative paths only', () => {
    expect(unsafePathReason('charts/mysql-1.0.0.tgz')).toBeUndefined();
    expect(unsafePathReason('./a')).toContain('"." path segment');
    expect(unsafePathReason('a//b')).toContain('empty');
    expect(unsafePathReason('')).toContain('empty name');
  });
});

describe('nothing is extracted from a refused archive', () => {
  const t = tempDir();
  afterAll(() => t.remove());

  test('installing a hostile .tgz writes no file anywhere, inside or outside the cache', async () => {
    const cacheDir = path.join(t.dir, 'cache');
    const victim = path.join(t.dir, 'victim.txt');
    const evil = path.join(t.dir, 'evil.tgz');
    fs.writeFileSync(evil, rawTgz([{ path: 'manifest.json', data: '{}' }, { path: `../../${path.basename(t.dir)}/victim.txt`, data: 'pwned' }]));
    const ctx = { cwd: t.dir, cacheDir, configDir: path.join(t.dir, 'config'), http: memoryHttp() };
    await expect(openPackagedChart(ctx, { kind: 'artifact', file: evil })).rejects.toMatchObject({ code: 'ARCHIVE_UNSAFE' });
    expect(fs.existsSync(victim)).toBe(false);
    const artifacts = path.join(cacheDir, 'artifacts');
    expect(fs.existsSync(artifacts) ? fs.readdirSync(artifacts) : []).toEqual([]);
  });
});

function zlibGzip(data: Buffer): Buffer {
  return zlib.gzipSync(data);
}
