// A .tgz that is not gzip, gzip but not tar, or cut short anywhere is ARCHIVE_CORRUPT (exit 8), never INTERNAL: in
// openArtifact, and through openPackagedChart from a file. A seeded sweep of damaged archives holds the class.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, test } from '@jest/globals';
import { openArtifact, packArtifact } from '../../../src/artifact/index.js';
import { isKcError } from '../../../src/errors/index.js';
import { openPackagedChart } from '../../../src/repo/index.js';
import { tempDir } from '../../fixtures/artifacts/helpers.js';

const good = packArtifact({
  name: 'demo', version: '1.2.3', keywords: [], bundleCode: Buffer.from('module.exports = {};'.repeat(200)),
  sourceMap: Buffer.from('{}'), valuesSchema: { type: 'object' }, valuesDefaults: {}, dependencies: [],
}).archive;
const tar = zlib.gunzipSync(good);
const tmp = tempDir('kc-broken-');
afterAll(() => tmp.remove());

/** The error code an archive is refused with ('OK' when it opens; the message when it is not a KcError). */
async function outcome(archive: Buffer): Promise<string> {
  try {
    await openArtifact(archive, 'broken.tgz');
    return 'OK';
  } catch (err) {
    return isKcError(err) ? err.code : `not a KcError: ${String(err)}`;
  }
}

const flip = (bytes: Buffer, at: number) => {
  const copy = Buffer.from(bytes);
  copy[at] ^= 0xff;
  return copy;
};

const cases: [string, Buffer, string][] = [
  ['an empty file', Buffer.alloc(0), 'it is not gzip-compressed'],
  ['one byte of a gzip header', Buffer.from([0x1f]), 'it is not gzip-compressed'],
  ['an HTML error page', Buffer.from('<html><body>404 Not Found</body></html>'), 'it is not gzip-compressed'],
  ['a plain tar', tar, 'it is not gzip-compressed'],
  ['a zip file', Buffer.from('PK\x03\x04 not a tgz'), 'it is not gzip-compressed'],
  ['gzipped text', zlib.gzipSync('just some text, not a tar'), 'it does not contain a tar archive'],
  ['gzipped zeros', zlib.gzipSync(Buffer.alloc(4096)), 'it does not contain a tar archive'],
  ['an empty gzip', zlib.gzipSync(Buffer.alloc(0)), 'it does not contain a tar archive'],
  ['gzip cut after its header', good.subarray(0, 10), 'the gzip stream is truncated'],
  ['gzip cut in half', good.subarray(0, Math.floor(good.length / 2)), 'the gzip stream is truncated'],
  ['gzip without its trailer', good.subarray(0, good.length - 8), 'the gzip stream is truncated'],
  ['gzip with a wrong checksum', flip(good, good.length - 6), 'gzip: incorrect data check'],
  ['gzip followed by garbage', Buffer.concat([good, Buffer.from('trailing garbage')]), 'gzip: '],
  ['a tar cut inside its first entry', zlib.gzipSync(tar.subarray(0, 700)), 'Truncated input'],
  ['a tar cut before its end blocks', zlib.gzipSync(tar.subarray(0, tar.length - 1536)), 'Truncated input'],
];

describe('damaged archives', () => {
  test.each(cases)('%s is ARCHIVE_CORRUPT', async (_name, archive, reason) => {
    await expect(openArtifact(archive, 'broken.tgz')).rejects.toMatchObject({
      code: 'ARCHIVE_CORRUPT',
      message: expect.stringMatching(new RegExp(`^broken\\.tgz is not a readable chart archive: .*${reason}`)),
      hint: 'the file is truncated or damaged; download or package it again',
    });
  });

  test('the archive they were made from opens', async () => {
    expect(await outcome(good)).toBe('OK');
  });

  test('a file on disk is ARCHIVE_CORRUPT through openPackagedChart, whatever the damage', async () => {
    const ctx = { cwd: tmp.dir, cacheDir: path.join(tmp.dir, 'cache'), configDir: path.join(tmp.dir, 'config') };
    for (const [name, archive] of cases) {
      const file = path.join(tmp.dir, `${name.replace(/\W+/g, '-')}.tgz`);
      fs.writeFileSync(file, archive);
      const http = { fetch: () => Promise.reject(new Error('no download expected')) };
      const opening = openPackagedChart({ ...ctx, http }, { kind: 'artifact', file });
      await expect(opening).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT' });
    }
  });

  test('a seeded sweep of flipped bytes and cut lengths never escapes as anything but a typed refusal', async () => {
    let seed = 16;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const damaged = [
        () => flip(good, next(good.length)),
        () => zlib.gzipSync(flip(tar, next(Math.min(tar.length, 2048)))),
        () => zlib.gzipSync(tar.subarray(0, next(tar.length))),
        () => good.subarray(0, next(good.length)),
      ][i % 4]();
      seen.add(await outcome(damaged));
    }
    // Damage the digests catch is INTEGRITY_MISMATCH; damage to ignored header bytes (mtime, owner) still opens.
    expect([...seen].filter((c) => !['ARCHIVE_CORRUPT', 'INTEGRITY_MISMATCH', 'ARTIFACT_INVALID', 'OK'].includes(c)))
      .toEqual([]);
    expect(seen.has('ARCHIVE_CORRUPT')).toBe(true);
  });
});
