// The built CLI (node bin/kc.cjs) loads each command's implementation only when that command runs: commands that
// talk to no cluster or registry start without the network stack (http2, tls, zlib, ...); cluster commands are left
// out: the launcher loads those builtins for them on purpose (cli/launch.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { repoRoot } from '../helpers/run-cli.js';

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-lazy-'));
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

// A preload that writes the builtins Node loaded, as the process exits.
const probe = path.join(cacheDir, 'builtins-probe.cjs');
const out = path.join(cacheDir, 'builtins.json');
fs.writeFileSync(
  probe,
  `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList)));`,
);

/** The builtins `kc ARGS` loaded, and its stdout. */
function builtinsOf(args: string[]): { loaded: string[]; stdout: string } {
  fs.rmSync(out, { force: true });
  const run = spawnSync(process.execPath, ['-r', probe, path.join(repoRoot, 'bin/kc.cjs'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, KC_CACHE_DIR: cacheDir, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).toBe(0);
  const loaded = (JSON.parse(fs.readFileSync(out, 'utf8')) as string[]).filter((m) => m.startsWith('NativeModule '));
  return { loaded: loaded.map((m) => m.slice('NativeModule '.length)), stdout: run.stdout };
}

// Loaded at start only by the modules behind the cluster, registry and repository commands.
const NETWORK = ['http2', 'tls', 'https', 'http', 'zlib', 'dns', '_tls_wrap'];

describe('kc start-up', () => {
  test.each([
    [['--version']],
    [['pull', '--help']],
    [['push', '--help']],
    [['synth', '--help']],
    [['version', '--short']],
  ])(
    'kc %j loads no network builtins',
    (args) => {
      const { loaded, stdout } = builtinsOf(args);
      expect(stdout).not.toBe('');
      expect(loaded).toContain('fs'); // the probe saw the run
      for (const name of NETWORK) expect(loaded).not.toContain(name);
    },
    60_000,
  );

  test('a command that needs them still loads them when it runs (kc repo add reaches the network)', () => {
    // A repository on a closed loopback port: the fetch fails, after the HTTP client has loaded.
    const run = spawnSync(
      process.execPath,
      ['-r', probe, path.join(repoRoot, 'bin/kc.cjs'), 'repo', 'add', 'x', 'http://127.0.0.1:1/charts'],
      {
        cwd: repoRoot,
        env: { ...process.env, KC_CACHE_DIR: cacheDir, KC_CONFIG_DIR: cacheDir, NO_COLOR: '1' },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).not.toContain('INTERNAL');
    const loaded = JSON.parse(fs.readFileSync(out, 'utf8')) as string[];
    expect(loaded).toContain('NativeModule http');
  }, 60_000);
});
