import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as tar from 'tar';
import { packageChart } from '../../../src/actions/package.js';
import { FIXED_MTIME, openArtifact, readArchive } from '../../../src/artifact/index.js';
import { repoRoot } from '../../helpers/run-cli.js';
import { tempDir, testContext, writeChart } from '../../fixtures/artifacts/helpers.js';

const t = tempDir();
afterAll(() => t.remove());
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('kc package is deterministic', () => {
  let first: string;
  let second: string;
  beforeAll(async () => {
    // Two separate caches: esbuild really runs twice, so the bundle itself must be reproducible.
    const a = await packageChart(testContext({ cwd: repoRoot, cacheDir: path.join(t.dir, 'cache-a') }), { chart: 'charts/mysql', destination: path.join(t.dir, 'a') });
    const b = await packageChart(testContext({ cwd: repoRoot, cacheDir: path.join(t.dir, 'cache-b') }), { chart: 'charts/mysql', destination: path.join(t.dir, 'b') });
    first = a.file;
    second = b.file;
    expect(a.digest).toBe(sha(a.file));
  }, 60_000);

  test('the same source gives byte-identical archives named <name>-<version>.tgz', () => {
    expect(path.basename(first)).toBe('mysql-1.0.0.tgz');
    expect(sha(first)).toBe(sha(second));
  });

  test('entries are sorted, owned by 0:0 with mode 0644 and one fixed mtime, with no owner names', async () => {
    const headers: { path: string; uid?: number; gid?: number; mode?: number; mtime?: Date; uname?: string; type: string }[] = [];
    await tar.list({ file: first, onReadEntry: (e) => headers.push({ path: e.path, uid: e.uid, gid: e.gid, mode: e.mode, mtime: e.mtime, uname: e.uname, type: e.type }) });
    expect(headers.map((h) => h.path)).toEqual(['chart.cjs', 'chart.cjs.map', 'manifest.json']);
    for (const h of headers) expect(h).toMatchObject({ uid: 0, gid: 0, mode: 0o644, mtime: FIXED_MTIME, uname: '', type: 'File' });
    const gz = fs.readFileSync(first);
    expect(gz.readUInt32LE(4)).toBe(0); // no gzip timestamp
  });

  test('the manifest records identity, the bundle digest, the values schema and defaults, and kc\'s version', async () => {
    const { manifest, files } = await openArtifact(fs.readFileSync(first), 'mysql-1.0.0.tgz');
    expect(manifest).toMatchObject({
      formatVersion: 1, name: 'mysql', version: '1.0.0', appVersion: '5.7.14', keywords: ['mysql', 'database', 'sql'], kcVersion: '0.1.0', dependencies: [],
      bundle: { file: 'chart.cjs', sourceMap: 'chart.cjs.map', digest: crypto.createHash('sha256').update(files.get('chart.cjs')!).digest('hex') },
    });
    expect(manifest.values.schema.required).toEqual(['rootPassword']);
    expect(manifest.values.defaults).toMatchObject({ image: { repository: 'mysql', tag: '5.7.14' }, service: { port: 3306 } });
    // The bundle carries its dependencies: no require of cdk8s, zod or kc at run time.
    const code = files.get('chart.cjs')!.toString();
    expect(code).not.toMatch(/require\("(cdk8s|cdk8s-plus-27|zod|constructs)"\)/);
    expect(code).not.toContain(repoRoot);
  });
});

describe('package options', () => {
  test('--version and --app-version override package.json in the file name and manifest; README.md is included', async () => {
    const dir = writeChart(path.join(t.dir, 'src', 'small'), { name: 'small', appVersion: '1.0' }, { 'README.md': '# small\n' });
    const ctx = testContext({ cwd: t.dir, cacheDir: path.join(t.dir, 'cache-a') });
    const result = await packageChart(ctx, { chart: dir, version: '2.3.4-rc.1', appVersion: '9.9', destination: 'out' });
    expect(result.file).toBe(path.join(t.dir, 'out', 'small-2.3.4-rc.1.tgz'));
    expect(result.manifest).toMatchObject({ name: 'small', version: '2.3.4-rc.1', appVersion: '9.9', readme: 'README.md' });
    const files = await readArchive(fs.readFileSync(result.file), 'small');
    expect(files.get('README.md')!.toString()).toBe('# small\n');
  });

  test('invalid versions, names and chart classes are refused with what to fix', async () => {
    const ctx = testContext({ cwd: t.dir, cacheDir: path.join(t.dir, 'cache-a') });
    const dir = writeChart(path.join(t.dir, 'src', 'v'), { name: 'v' });
    await expect(packageChart(ctx, { chart: dir, version: 'latest' })).rejects.toMatchObject({ code: 'USAGE', message: '--version latest: not a semantic version' });
    const badName = writeChart(path.join(t.dir, 'src', 'bad'), { name: 'Bad_Name', version: '1' });
    await expect(packageChart(ctx, { chart: badName })).rejects.toMatchObject({ code: 'CHART_INVALID', details: expect.arrayContaining([expect.stringContaining('name: must be a DNS label'), expect.stringContaining('version: must be a semantic version')]) });
    const mismatch = writeChart(path.join(t.dir, 'src', 'mm'), { name: 'mm' }, { 'index.ts': `export { default } from '${path.join(repoRoot, 'charts/webapp/index.ts')}';\n` });
    await expect(packageChart(ctx, { chart: mismatch })).rejects.toMatchObject({ code: 'CHART_INVALID', message: expect.stringContaining('the chart class is named "webapp" but package.json says "mm"') });
    await expect(packageChart(ctx, { chart: path.join(repoRoot, 'examples/mysql') })).rejects.toMatchObject({ code: 'USAGE' });
  }, 60_000);
});
