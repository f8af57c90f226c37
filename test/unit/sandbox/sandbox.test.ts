// Packaged charts run in a sandbox process: these tests try to break out of it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import { packageChart } from '../../../src/actions/package.js';
import { synth } from '../../../src/actions/synth.js';
import type { KcError } from '../../../src/errors/index.js';
import { runSandboxed, sandboxArgs, sandboxProgram } from '../../../src/sandbox/index.js';
import { repoRoot, runCli } from '../../helpers/run-cli.js';
import { tempDir, testContext } from '../../fixtures/artifacts/helpers.js';

const t = tempDir('kc-sandbox-');
const cacheDir = path.join(t.dir, 'cache');
const ctx = testContext({ cwd: repoRoot, cacheDir });
let artifact: string;

beforeAll(async () => {
  artifact = (await packageChart(ctx, { chart: 'test/fixtures/artifacts/hostile-chart', destination: t.dir })).file;
}, 60_000);
afterAll(() => t.remove());

const render = (attack: string) => runCli(['synth', artifact, '--set', `attack=${attack}`], { ctx: { cacheDir } });

describe('a packaged chart cannot touch the machine', () => {
  test('harmless code runs in the sandbox and renders like the chart directory', async () => {
    const run = await render('none');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(parse(run.stdout)).toMatchObject({ kind: 'ConfigMap', data: { loot: 'nothing' }, metadata: { name: 'hostile' } });
    const fromDir = await runCli(['synth', 'test/fixtures/artifacts/hostile-chart'], { ctx: { cacheDir } });
    expect(run.stdout).toBe(fromDir.stdout);
  });

  test.each([
    ['file', 'kc sandbox refused fs.readFileSync("/etc/hostname"): packaged charts cannot read or write files', 'index.ts:18:'],
    ['network', 'kc sandbox refused require("node:net"): packaged charts cannot open network connections', 'index.ts:21:'],
    ['env', 'kc sandbox refused process.env.HOME: packaged charts cannot read environment variables', 'index.ts:26:'],
  ])('reading a file, opening a socket or reading the environment (%s) is CHART_FAILED naming what was refused', async (attack, refusal, line) => {
    const run = await render(attack);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`Error [CHART_FAILED]: chart code threw while building hostile: ${refusal}`);
    // The source map inside the artifact points at the chart's own TypeScript.
    expect(run.stderr).toContain(`at test/fixtures/artifacts/hostile-chart/${line}`);
    expect(run.stdout).toBe('');
  });

  test('escaping the vm through a function of kc\'s realm cannot compile code there', async () => {
    const run = await render('escape');
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('Code generation from strings disallowed');
  });

  test('values are merged by kc before the run: errors name the layer, as for chart directories', async () => {
    const run = await runCli(['synth', artifact, '--set', 'port=abc'], { ctx: { cacheDir } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('port: expected number, received string (set by --set port=abc)');
  });

  test('the release gets the artifact\'s version in labels and records (kc package --version)', async () => {
    const v2 = await packageChart(ctx, { chart: 'test/fixtures/artifacts/hostile-chart', version: '7.0.0', appVersion: '3.1', destination: path.join(t.dir, 'v2') });
    const result = await synth(ctx, { target: v2.file, release: 'r' });
    expect(result.mode).toBe('chart');
    expect(result.releases[0].chart).toMatchObject({ name: 'hostile', version: '7.0.0', appVersion: '3.1' });
    expect(result.releases[0].objects[0].metadata?.labels).toMatchObject({ 'kc.dev/chart': 'hostile-7.0.0', 'app.kubernetes.io/version': '3.1' });
  });
});

describe('the sandbox process', () => {
  function fakeArtifact(name: string, code: string): string {
    const dir = path.join(t.dir, 'fake', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'chart.cjs'), code);
    return path.join(dir, 'chart.cjs');
  }
  const request = (bundle: string) => ({ bundle, release: 'r', values: {} });

  test('modules with I/O are stubs or refused; pure ones work', async () => {
    const bundle = fakeArtifact('mods', `
      const attempts = {};
      for (const [label, fn] of Object.entries({
        path: () => require('path').join('a', 'b'),
        crypto: () => require('node:crypto').createHash('sha256').update('x').digest('hex').length,
        spawn: () => require('child_process').execSync('id'),
        write: () => require('fs').writeFileSync('/tmp/kc-pwned', 'x'),
        home: () => require('os').homedir(),
        http: () => require('http'),
        worker: () => require('worker_threads'),
        cwd: () => process.cwd(),
      })) { try { attempts[label] = fn(); } catch (e) { attempts[label] = e.message; } }
      exports.run = () => ({ ok: true, releases: [{ name: 'r', chart: { name: 'x', version: '1.0.0' }, dependsOn: [], objects: [], values: attempts }] });
    `);
    const result = await runSandboxed(cacheDir, request(bundle));
    expect(result.ok).toBe(true);
    expect(result.ok && result.releases[0].values).toEqual({
      path: 'a/b',
      crypto: 64,
      spawn: 'kc sandbox refused child_process.execSync("id"): packaged charts cannot start processes',
      write: 'kc sandbox refused fs.writeFileSync("/tmp/kc-pwned"): packaged charts cannot read or write files',
      home: 'kc sandbox refused os.homedir(): packaged charts cannot inspect the machine',
      http: 'kc sandbox refused require("http"): packaged charts cannot open network connections',
      worker: 'kc sandbox refused require("worker_threads"): packaged charts cannot start threads',
      cwd: 'kc sandbox refused process.cwd(): packaged charts cannot control or inspect the kc process',
    });
    expect(fs.existsSync('/tmp/kc-pwned')).toBe(false);
  });

  test('a chart that never finishes is stopped at the time limit', async () => {
    const started = Date.now();
    const limits = { timeoutMs: 1000, maxHeapMb: 128, maxOutputBytes: 1024 * 1024 };
    const result = await runSandboxed(cacheDir, request(fakeArtifact('loop', 'for (;;) {}')), limits);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'chart', message: 'the chart did not finish within 1 s (stopped)' } });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('a timer the chart leaves running does not hold the sandbox (or kc) until the time limit', async () => {
    const bundle = fakeArtifact('timer', `
      setInterval(() => undefined, 1000);
      exports.run = () => ({ ok: true, releases: [] });
    `);
    const started = Date.now();
    expect(await runSandboxed(cacheDir, request(bundle))).toEqual({ ok: true, releases: [] });
    expect(Date.now() - started).toBeLessThan(10_000); // the limit is 60 s
  });

  test('the sandbox process runs beside kc\'s thread; an aborted signal stops it at once: INTERRUPTED', async () => {
    const controller = new AbortController();
    const run = runSandboxed(cacheDir, request(fakeArtifact('spin', 'for (;;) {}')), undefined, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 500)); // this timer fires: kc's thread is not blocked
    const sent = Date.now();
    controller.abort();
    const err = await run.then(() => undefined, (e: unknown) => e as KcError);
    expect(err).toMatchObject({ code: 'INTERRUPTED', message: 'interrupted while chart code was running' });
    expect(Date.now() - sent).toBeLessThan(5000);
  });

  test('under the permission model, even code with Node\'s own fs and child_process cannot read, write or spawn', () => {
    // The outer layer alone, as if the vm had been escaped: a program with full access to Node's modules.
    const readable = path.join(t.dir, 'fake', 'perm');
    fs.mkdirSync(readable, { recursive: true });
    fs.writeFileSync(path.join(readable, 'ok.txt'), 'readable');
    const program = path.join(readable, 'escape.cjs');
    fs.writeFileSync(program, `
      const fs = require('fs'), cp = require('child_process'), out = {};
      const attempt = (k, f) => { try { out[k] = f(); } catch (e) { out[k] = e.code; } };
      attempt('own', () => fs.readFileSync(__dirname + '/ok.txt', 'utf8'));
      attempt('read', () => fs.readFileSync('/etc/hostname', 'utf8'));
      attempt('home', () => fs.readdirSync(${JSON.stringify(repoRoot)}));
      attempt('write', () => fs.writeFileSync(__dirname + '/w.txt', 'x'));
      attempt('spawn', () => cp.execFileSync('/bin/true'));
      attempt('env', () => Object.keys(process.env).length);
      process.stdout.write(JSON.stringify(out));
    `);
    const args = sandboxArgs(program, readable);
    expect(args).toEqual(expect.arrayContaining([`--allow-fs-read=${readable}`, '--disallow-code-generation-from-strings']));
    expect(args.some((a) => a.startsWith('--allow-fs-write') || a.startsWith('--allow-child-process') || a.startsWith('--allow-worker'))).toBe(false);
    const res = spawnSync(process.execPath, args, { env: {}, encoding: 'utf8', timeout: 30_000 });
    expect(JSON.parse(res.stdout)).toEqual({ own: 'readable', read: 'ERR_ACCESS_DENIED', home: 'ERR_ACCESS_DENIED', write: 'ERR_ACCESS_DENIED', spawn: 'ERR_ACCESS_DENIED', env: 0 });
    expect(fs.existsSync(path.join(readable, 'w.txt'))).toBe(false);
  });

  test('the sandbox program is stored once per content in the cache', () => {
    expect(sandboxProgram(cacheDir)).toBe(sandboxProgram(cacheDir));
    expect(path.basename(sandboxProgram(cacheDir))).toMatch(/^runner-[0-9a-f]{16}\.cjs$/);
  });
});

test('a chart directory (the user\'s own code) runs unsandboxed, on kc\'s chart worker thread', async () => {
  const run = await runCli(['synth', 'test/fixtures/artifacts/hostile-chart', '--set', 'attack=env'], { ctx: { cacheDir } });
  expect(run.code).toBe(0);
  const docs = parseAllDocuments(run.stdout).map((d) => d.toJSON());
  expect(docs[0].data.loot).toBe(process.env.HOME ?? '');
});
