import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import { readArchive } from '../../src/artifact/index.js';
import { runCli } from '../helpers/run-cli.js';
import { fixedClock, memoryHttp, serveDir, tempDir, writeChart } from '../fixtures/artifacts/helpers.js';

const t = tempDir('kc-cli-pkg-');
afterAll(() => t.remove());
const cacheDir = path.join(t.dir, 'cache');
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const kc = (args: string[], ctx: Record<string, unknown> = {}) => runCli(args, { cwd: t.dir, ctx: { cacheDir, configDir: path.join(t.dir, 'config'), ...ctx } });

describe('kc package', () => {
  test('writes <name>-<version>.tgz and prints its path and sha256; packaging again gives the same bytes', async () => {
    writeChart(path.join(t.dir, 'small'), { name: 'small', appVersion: '1.0' }, { 'README.md': '# Small\n\nSays hello.\n' });
    const first = await kc(['package', 'small', '-d', 'out']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const file = path.join(t.dir, 'out', 'small-0.1.0.tgz');
    expect(first.stdout).toBe(`Packaged small 0.1.0 to out/small-0.1.0.tgz\nsha256: ${sha(file)}\n`);
    const again = await kc(['package', 'small', '-d', 'again']);
    expect(sha(path.join(t.dir, 'again', 'small-0.1.0.tgz'))).toBe(sha(file));
    expect(again.stdout).toContain(sha(file));
  });

  test('--version overrides package.json (not kc\'s own --version)', async () => {
    const run = await kc(['package', 'small', '--version', '0.2.0', '-d', 'out']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Packaged small 0.2.0 to out/small-0.2.0.tgz');
  });

  test('a project is not a chart', async () => {
    const run = await runCli(['package', 'examples/mysql', '-d', t.dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('examples/mysql is a project; kc package takes a chart directory');
  });
});

describe('using an artifact', () => {
  beforeAll(async () => {
    // This chart reads the environment when its module loads: fine in-process, refused in the sandbox.
    writeChart(path.join(t.dir, 'nosy'), { name: 'nosy' }, { 'README.md': '# Nosy\n', 'index.ts': `const seen = process.env.HOME;\nexport { seen };\n${fs.readFileSync(path.join(t.dir, 'small', 'index.ts'), 'utf8')}` });
    expect((await kc(['package', 'nosy', '-d', 'out'])).code).toBe(0);
  }, 60_000);

  test('synth and template render a .tgz (in the sandbox)', async () => {
    const run = await kc(['synth', 'out/small-0.2.0.tgz', '--release', 'r', '--set', 'greeting=hi']);
    expect(run.stderr).toBe('');
    const cm = parse(run.stdout);
    expect(cm).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'r-small', labels: { 'kc.dev/chart': 'small-0.2.0' } }, data: { greeting: 'hi' } });
    const template = await kc(['template', 'r', 'out/small-0.2.0.tgz', '--set', 'greeting=hi']);
    expect(template.code).toBe(0);
    expect(parseAllDocuments(template.stdout).map((d) => d.toJSON())[0]).toEqual(cm);
  });

  test('show chart|values|schema|readme read the manifest and README without running the chart', async () => {
    const synth = await kc(['synth', 'out/nosy-0.1.0.tgz']);
    expect(synth.code).toBe(4);
    expect(synth.stderr).toContain('kc sandbox refused process.env.HOME');
    const chart = await kc(['show', 'chart', 'out/nosy-0.1.0.tgz']);
    expect(chart.code).toBe(0);
    expect(parse(chart.stdout)).toEqual({ name: 'nosy', version: '0.1.0', description: 'A small test chart.' });
    const values = await kc(['show', 'values', 'out/nosy-0.1.0.tgz']);
    expect(values.stdout).toContain('# What the ConfigMap says.\ngreeting: hello');
    const schema = JSON.parse((await kc(['show', 'schema', 'out/nosy-0.1.0.tgz'])).stdout);
    expect(schema.properties.greeting).toMatchObject({ type: 'string', default: 'hello' });
    expect((await kc(['show', 'readme', 'out/nosy-0.1.0.tgz'])).stdout).toBe('# Nosy\n');
  });

  test('a .tgz that does not exist is CHART_NOT_FOUND', async () => {
    const run = await kc(['synth', 'out/missing-1.0.0.tgz']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Error [CHART_NOT_FOUND]: out/missing-1.0.0.tgz does not exist');
  });
});

describe('dependencies', () => {
  const http = memoryHttp();
  const repoUrl = 'http://127.0.0.1:8879/deps';

  beforeAll(async () => {
    // A repository serving small 0.1.0 and 0.2.0, registered as "deps".
    expect((await kc(['repo', 'index', 'out', '--url', repoUrl], { clock: fixedClock('2026-03-01T00:00:00Z') })).code).toBe(0);
    serveDir(http, path.join(t.dir, 'out'), repoUrl);
    expect((await kc(['repo', 'add', 'deps', repoUrl], { http })).code).toBe(0);
    writeChart(path.join(t.dir, 'app'), { name: 'app', kc: { chart: 'index.ts', dependencies: [{ name: 'small', version: '~0.1.0', repository: 'deps' }] } });
  }, 60_000);

  test('a declared dependency without a lock cannot be packaged or rendered', async () => {
    for (const args of [['package', 'app', '-d', 'out'], ['synth', 'app']]) {
      const run = await kc(args, { http });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('Error [DEPENDENCY_LOCK_STALE]: the dependencies of app are out of date with kc.lock.json');
      expect(run.stderr).toContain('package.json declares small but there is no kc.lock.json');
      expect(run.stderr).toContain('Hint: run `kc dependency update app`');
    }
  });

  test('dependency update locks exact versions and digests and downloads them into charts/', async () => {
    const run = await kc(['dependency', 'update', 'app'], { http });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('Locked small 0.1.0 (~0.1.0 from deps)\nWrote app/kc.lock.json\n');
    const lock = JSON.parse(fs.readFileSync(path.join(t.dir, 'app', 'kc.lock.json'), 'utf8'));
    const digest = sha(path.join(t.dir, 'out', 'small-0.1.0.tgz'));
    expect(lock).toEqual({ lockVersion: 1, dependencies: [{ name: 'small', version: '0.1.0', range: '~0.1.0', repository: 'deps', digest }] });
    expect(sha(path.join(t.dir, 'app', 'charts', 'small-0.1.0.tgz'))).toBe(digest);
    const list = JSON.parse((await kc(['dependency', 'list', 'app', '-o', 'json'])).stdout);
    expect(list).toEqual({ dependencies: [{ name: 'small', range: '~0.1.0', repository: 'deps', locked: '0.1.0' }], problems: [] });
  });

  test('the package carries the locked dependency archives and records them in its manifest', async () => {
    const run = await kc(['package', 'app', '-d', 'out'], { http });
    expect(run.code).toBe(0);
    const files = await readArchive(fs.readFileSync(path.join(t.dir, 'out', 'app-0.1.0.tgz')), 'app');
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    expect(manifest.dependencies).toEqual([{ name: 'small', version: '0.1.0', range: '~0.1.0', repository: 'deps', digest: sha(path.join(t.dir, 'out', 'small-0.1.0.tgz')) }]);
    expect(files.get('charts/small-0.1.0.tgz')!.equals(fs.readFileSync(path.join(t.dir, 'out', 'small-0.1.0.tgz')))).toBe(true);
    expect((await kc(['synth', 'app'])).code).toBe(0);
  });

  test('a changed range or an altered archive makes the lock stale; update moves it', async () => {
    const pkgFile = path.join(t.dir, 'app', 'package.json');
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    pkg.kc.dependencies[0].version = '^0.2.0';
    fs.writeFileSync(pkgFile, JSON.stringify(pkg));
    const stale = await kc(['package', 'app', '-d', 'out']);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain('small is locked at 0.1.0, which does not satisfy ^0.2.0');
    const update = await kc(['dependency', 'update', 'app'], { http });
    expect(update.stdout).toBe('Locked small 0.2.0 (^0.2.0 from deps)\nRemoved charts/small-0.1.0.tgz\nWrote app/kc.lock.json\n');
    fs.writeFileSync(path.join(t.dir, 'app', 'charts', 'small-0.2.0.tgz'), 'tampered');
    const tampered = await kc(['synth', 'app']);
    expect(tampered.code).toBe(2);
    expect(tampered.stderr).toContain('charts/small-0.2.0.tgz does not have the sha256 the lock records');
  });
});
