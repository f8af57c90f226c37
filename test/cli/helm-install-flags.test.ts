// Helm's install/upgrade flags kc implements: -g/--generate-name, --dependency-update (template's too), --skip-crds
// and --cleanup-on-fail (the last two on a cluster: test/integration/helm-install-flags.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';
import { closedPortKubeconfig } from '../helpers/closed-port-kubeconfig.js';
import { GADGET_CHART } from '../helpers/gadget-chart.js';
import { fixedClock, memoryHttp, serveDir, tempDir, writeChart } from '../fixtures/artifacts/helpers.js';

const t = tempDir('kc-cli-helm-install-');
afterAll(() => t.remove());
const cacheDir = path.join(t.dir, 'cache');
const kubeconfig = closedPortKubeconfig(path.join(t.dir, 'kubeconfig'));
const clock = fixedClock('2026-12-06T12:00:00Z'); // 1796558400
const kc = (args: string[], ctx: Record<string, unknown> = {}) =>
  runCli(args, { cwd: t.dir, ctx: { cacheDir, configDir: path.join(t.dir, 'config'), clock, ...ctx } });
const mysql = ['charts/mysql', '--set', 'rootPassword=root', '--kubeconfig', kubeconfig, '--dry-run'];

describe('--generate-name', () => {
  test('-g names the release <chart>-<unix seconds> from the clock and says the name', async () => {
    for (const flag of ['-g', '--generate-name']) {
      const run = await runCli(['install', flag, ...mysql], { ctx: { clock } });
      expect(run.stderr).toBe('NAME: mysql-1796558400\n');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('app.kubernetes.io/instance: mysql-1796558400');
    }
  }, 60_000);

  test('a release name with --generate-name, or a chart alone without it, is USAGE', async () => {
    const both = await runCli(['install', 'db', '-g', ...mysql]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Error [USAGE]: --generate-name names the release, and db was given as its name');
    const alone = await runCli(['install', ...mysql]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('Error [USAGE]: missing the chart');
  });

  test('upgrade has no --generate-name; both take the other three flags', async () => {
    const upgrade = await runCli(['upgrade', '-g', ...mysql]);
    expect(upgrade.code).toBe(2);
    const help = (await runCli(['upgrade', '--help'])).stdout;
    expect(help).not.toContain('--generate-name');
    for (const flag of ['--dependency-update', '--cleanup-on-fail', '--skip-crds']) expect(help).toContain(flag);
    expect((await runCli(['install', '--help'])).stdout).toContain('-g, --generate-name');
  });
});

describe('--skip-crds', () => {
  test("a dry run leaves the chart's CRDs out and keeps its custom resources", async () => {
    const dir = path.join(t.dir, 'gadgets');
    writeChart(dir, { name: 'gadgets' }, { 'index.ts': GADGET_CHART });
    const args = ['install', 'g', dir, '--kubeconfig', kubeconfig, '--dry-run'];
    const full = await kc(args);
    expect(full.code).toBe(0);
    expect(full.stdout).toContain('kind: CustomResourceDefinition');
    const skipped = await kc([...args, '--skip-crds']);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).not.toContain('kind: CustomResourceDefinition');
    expect(skipped.stdout).toContain('kind: Gadget');
  }, 60_000);
});

describe('--dependency-update', () => {
  const http = memoryHttp();
  const repoUrl = 'http://127.0.0.1:8879/deps';

  beforeAll(async () => {
    writeChart(path.join(t.dir, 'small'), { name: 'small' });
    expect((await kc(['package', 'small', '-d', 'out'])).code).toBe(0);
    expect((await kc(['repo', 'index', 'out', '--url', repoUrl])).code).toBe(0);
    serveDir(http, path.join(t.dir, 'out'), repoUrl);
    expect((await kc(['repo', 'add', 'deps', repoUrl], { http })).code).toBe(0);
    const deps = [{ name: 'small', version: '~0.1.0', repository: 'deps' }];
    writeChart(path.join(t.dir, 'app'), { name: 'app', kc: { chart: 'index.ts', dependencies: deps } });
  }, 60_000);

  test('without it a stale lock is refused; with it the lock is written first, and only when stale', async () => {
    const args = ['install', 'r', 'app', '--kubeconfig', kubeconfig, '--dry-run'];
    const stale = await kc(args, { http });
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain('Error [DEPENDENCY_LOCK_STALE]');
    const updated = await kc([...args, '--dependency-update'], { http });
    expect(updated.stderr).toBe('Locked small 0.1.0 (~0.1.0 from deps)\n');
    expect(updated.code).toBe(0);
    expect(fs.existsSync(path.join(t.dir, 'app', 'kc.lock.json'))).toBe(true);
    expect(fs.existsSync(path.join(t.dir, 'app', 'charts', 'small-0.1.0.tgz'))).toBe(true);
    const requests = http.requests.length;
    const again = await kc([...args, '--dependency-update'], { http });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(http.requests.length).toBe(requests); // up to date: no repository asked
  }, 60_000);

  test('kc template takes it too', async () => {
    fs.rmSync(path.join(t.dir, 'app', 'kc.lock.json'));
    const run = await kc(['template', 'r', 'app', '--dependency-update'], { http });
    expect(run.stderr).toBe('Locked small 0.1.0 (~0.1.0 from deps)\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('kind: ConfigMap');
    expect(fs.existsSync(path.join(t.dir, 'app', 'kc.lock.json'))).toBe(true);
  }, 60_000);

  test('a packaged chart is left alone', async () => {
    const run = await kc([
      'install',
      'r',
      'out/small-0.1.0.tgz',
      '--kubeconfig',
      kubeconfig,
      '--dry-run',
      '--dependency-update',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }, 60_000);
});
