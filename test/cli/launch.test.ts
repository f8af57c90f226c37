// The built CLI as users run it (node bin/kc.cjs): evaluated with V8's code cache, one cache per command, and with
// client-node's config module loaded from its own file for kubeconfigs kc does not read itself.
import { isAscii } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { namesNoPackagedChart, prestartForChart, readsProjectFile } from '../../cli/launch.js';
import { saveBundle } from '../../src/bundle/cache.js';
import { hintedBundle, rememberBundle } from '../../src/bundle/preload-hint.js';
import { ranBefore, runSignature } from '../../src/bundle/repeated-runs.js';
import { takePrestartedWorker } from '../../src/bundle/worker-prestart.js';
import { closedPortExecKubeconfig } from '../helpers/closed-port-kubeconfig.js';
import { repoRoot } from '../helpers/run-cli.js';

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-launch-'));
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));
const kc = (args: string[], cache = cacheDir) =>
  spawnSync(process.execPath, [path.join(repoRoot, 'bin/kc.cjs'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, KC_CACHE_DIR: cache, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });

/** A kubeconfig whose cluster is never there (port 1 on loopback). */
function unreachableKubeconfig(): string {
  const file = path.join(cacheDir, 'unreachable.yaml');
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: x',
      'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true } }]',
      'contexts: [{ name: x, context: { cluster: c, user: u } }]',
      'users: [{ name: u, user: { token: t } }]',
    ].join('\n'),
  );
  return file;
}

describe('bin/kc.cjs', () => {
  test('keeps a code cache per command after its first run, and runs the same with it', () => {
    const first = kc(['synth', 'examples/mysql', '--env', 'dev']);
    expect(first.status).toBe(0);
    const cache = path.join(cacheDir, 'code-cache', 'cli-synth.v8cache');
    expect(fs.statSync(cache).size).toBeGreaterThan(0);
    const inode = fs.statSync(cache).ino;
    const second = kc(['synth', 'examples/mysql', '--env', 'dev']);
    expect(second.stdout).toBe(first.stdout);
    expect(fs.statSync(cache).ino).toBe(inode); // accepted by V8, so not rewritten
    expect(kc(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  }, 120_000);

  test('the built CLI is ASCII, so the launcher holds its source one byte a character', () => {
    for (const name of ['kc.cjs', 'launch.cjs', 'client-node-config.cjs']) {
      expect([name, isAscii(fs.readFileSync(path.join(repoRoot, 'dist', name)))]).toEqual([name, true]);
    }
  });

  test("remembers a chart folder's bundle, for the next run's worker to load early, with the same output", () => {
    const cache = path.join(cacheDir, 'hint');
    const synth = () => kc(['synth', 'charts/mysql', '--set', 'rootPassword=x'], cache);
    const first = synth();
    expect(first.status).toBe(0);
    const hinted = hintedBundle(cache, path.join(repoRoot, 'charts/mysql'));
    expect(path.dirname(hinted?.file ?? '')).toBe(path.join(cache, 'bundles'));
    expect(synth().stdout).toBe(first.stdout);
  }, 120_000);

  test('cluster commands run under other V8 flags, with a chart code cache of their own that neither rewrites', () => {
    const cache = path.join(cacheDir, 'flags');
    const unreachable = unreachableKubeconfig();
    const synth = () => kc(['synth', 'charts/mysql', '--set', 'rootPassword=x'], cache);
    // install renders the chart before it reaches the (unreachable) cluster.
    const install = () =>
      kc(['install', 'my', 'charts/mysql', '--set', 'rootPassword=x', '--kubeconfig', unreachable], cache);
    const caches = () =>
      fs
        .readdirSync(path.join(cache, 'bundles'))
        .filter((f) => f.endsWith('.v8cache'))
        .sort();
    const inodes = () => caches().map((f) => fs.statSync(path.join(cache, 'bundles', f)).ino);

    expect(synth().status).toBe(0);
    expect(install().stderr).toContain('[CLUSTER_UNREACHABLE]');
    const files = caches();
    expect(files).toHaveLength(2); // one chart bundle, one cache per V8 flag set
    expect(new Set(files.map((f) => f.split('.')[0])).size).toBe(1);
    const before = inodes();
    synth();
    install();
    expect(inodes()).toEqual(before); // each accepted by V8, so neither rewritten
  }, 120_000);

  /** Runs kc with a preload noting the builtins loaded after the launcher's (only) V8 flag change; null: no change. */
  function builtinsAfterFlagChange(args: string[]): { late: string[] | null; stderr: string } {
    const probe = path.join(cacheDir, 'flag-probe.cjs');
    const out = path.join(cacheDir, 'flag-probe.json');
    fs.writeFileSync(
      probe,
      [
        "const v8 = require('node:v8'); const fs = require('node:fs');",
        'let at; const set = v8.setFlagsFromString;',
        'v8.setFlagsFromString = (flags) => { at ??= process.moduleLoadList.length; return set.call(v8, flags); };',
        'const late = () => (at === undefined ? null : process.moduleLoadList.slice(at));',
        `process.on('exit', () => fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify(late())));`,
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, ['-r', probe, path.join(repoRoot, 'bin/kc.cjs'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, KC_CACHE_DIR: cacheDir, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { late: JSON.parse(fs.readFileSync(out, 'utf8')) as string[] | null, stderr: run.stderr };
  }

  test('a cluster command loads the builtins kc starts with before changing V8 flags, keeping their code cache', () => {
    const { late, stderr } = builtinsAfterFlagChange(['list', '--kubeconfig', unreachableKubeconfig()]);
    expect(stderr).toContain('[CLUSTER_UNREACHABLE]'); // it got as far as connecting
    expect(late).not.toBeNull(); // the flag was changed
    for (const name of ['http2', 'tls', 'crypto', 'zlib', 'net', 'stream'])
      expect(late).not.toContain(`NativeModule ${name}`);
  }, 60_000);

  test("a command that reads a project file keeps V8 flags, so its worker boots with the builtins' code cache", () => {
    const { late, stderr } = builtinsAfterFlagChange([
      'deploy',
      'examples/mysql',
      '--env',
      'dev',
      '--kubeconfig',
      unreachableKubeconfig(),
    ]);
    expect(stderr).toContain('[CLUSTER_UNREACHABLE]'); // it evaluated the project and got as far as connecting
    expect(late).toBeNull();
  }, 60_000);

  test('a kubeconfig with an exec plugin goes through client-node (its own file in dist/)', () => {
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: 't' },
    });
    const kubeconfig = closedPortExecKubeconfig(path.join(cacheDir, 'exec.yaml'), '/bin/echo', [credential]);
    const run = kc(['list', '--kubeconfig', kubeconfig]);
    expect(run.stderr).toContain('[CLUSTER_UNREACHABLE]');
    expect(run.stderr).not.toContain('INTERNAL');
  }, 60_000);
});

describe('the chart worker the launcher starts early', () => {
  test('is started for a chart directory or the current folder, not for a packaged chart', () => {
    // Relative to the test's working directory, the repository root.
    expect(namesNoPackagedChart(['examples/mysql', '--env', 'dev'])).toBe(true);
    expect(namesNoPackagedChart(['r', 'charts/mysql', '--set', 'a=b'])).toBe(true);
    expect(namesNoPackagedChart([])).toBe(true);
    expect(namesNoPackagedChart(['r', 'stable/mysql'])).toBe(false);
    expect(namesNoPackagedChart(['values', 'dist/mysql-1.0.0.tgz'])).toBe(false);
    expect(namesNoPackagedChart(['r', 'https://charts.example.com/mysql-1.0.0.tgz'])).toBe(false);
  });
});

describe('the chart worker the launcher starts for an upgrade', () => {
  /** A chart folder whose bundle is hinted in a fresh cache; `start(command, args)` runs prestartForChart there. */
  function setUp(name: string) {
    const cache = path.join(cacheDir, name);
    const chart = path.join(cacheDir, `${name}-chart`);
    fs.mkdirSync(chart, { recursive: true });
    fs.writeFileSync(path.join(chart, 'index.ts'), 'export {};\n');
    const bundle = saveBundle(cache, `key-${name}`, {
      code: 'exports.x = 1;\n',
      map: '{}',
      inputs: [path.join(chart, 'index.ts')],
      sourceRoot: cacheDir,
    });
    rememberBundle(cache, chart, { ...bundle, key: `key-${name}` });
    /** Whether a worker was started, and the exit listener it registered (run, then removed), if any. */
    const start = (command: string, args: string[]) => {
      const before = new Set(process.listeners('exit'));
      const started = prestartForChart(command, args, cacheDir, cache);
      if (started) takePrestartedWorker()?.terminate();
      const [onExit] = process.listeners('exit').filter((l) => !before.has(l));
      if (onExit) process.removeListener('exit', onExit);
      return { started, onExit: onExit as ((code: number) => void) | undefined };
    };
    const seen = (args: string[]) => ranBefore(cache, runSignature(bundle.digest, cacheDir, args));
    return { chart, start, seen };
  }

  test('starts one unless the same install or upgrade succeeded before', () => {
    const { chart, start, seen } = setUp('upgrade');
    const args = ['r', chart, '-n', 'ns', '--set', 'a=1'];
    const first = start('upgrade', args);
    expect(first.started).toBe(true); // never ran: it renders
    first.onExit?.(1);
    expect(seen(args)).toBe(false); // a failed upgrade is not remembered
    expect(start('upgrade', args).started).toBe(true);
    first.onExit?.(0);
    expect(seen(args)).toBe(true);
    expect(start('upgrade', args).started).toBe(false); // the repeat is most likely a no-op
    expect(start('upgrade', [...args.slice(0, -1), 'a=2']).started).toBe(true); // new values render
    expect(start('install', args).started).toBe(true); // an install always renders
  });

  test('an install is remembered for the upgrade after it; a dry run is not', () => {
    const { chart, start, seen } = setUp('install');
    const args = ['r', chart, '-n', 'ns'];
    start('install', args).onExit?.(0);
    expect(start('upgrade', args).started).toBe(false);
    const dry = [...args, '--dry-run=client'];
    const run = start('upgrade', dry);
    expect(run.started).toBe(true);
    expect(run.onExit).toBeUndefined();
    expect(seen(dry)).toBe(false);
  });

  test('other commands start one, and remember nothing', () => {
    const { chart, start } = setUp('synth');
    expect(start('synth', [chart])).toEqual({ started: true, onExit: undefined });
  });
});

describe('the project-file worker the launcher starts early', () => {
  test('is started when the command evaluates kc.config.ts: deploy, --env, or a chart command on a project', () => {
    const project = path.join(repoRoot, 'examples/mysql');
    expect(readsProjectFile('deploy', [])).toBe(true);
    expect(readsProjectFile('status', ['r', '--env', 'dev'])).toBe(true);
    expect(readsProjectFile('history', ['r', '-e', 'dev'])).toBe(true);
    expect(readsProjectFile('get', ['values', 'r', '--env=dev'])).toBe(true);
    expect(readsProjectFile('synth', ['examples/mysql'], repoRoot)).toBe(true);
    expect(readsProjectFile('synth', [], project)).toBe(true);
    expect(readsProjectFile('template', ['r', '../../charts/mysql'], project)).toBe(false);
    expect(readsProjectFile('template', ['r', 'charts/mysql', '--set', 'a=b'], repoRoot)).toBe(false);
    expect(readsProjectFile('status', ['r'], project)).toBe(false);
    expect(readsProjectFile('list', ['--all-namespaces'], project)).toBe(false);
  });
});
