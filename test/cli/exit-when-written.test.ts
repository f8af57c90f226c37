// kc ends once its output is written, not when Node's event loop drains: work still pending then (here a timer a
// preload leaves running; in real runs V8's garbage-collection tasks, an exec plugin past its deadline) does not
// hold the process, and nothing written is lost, whatever the exit code.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { repoRoot } from '../helpers/run-cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-exit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Keeps the event loop busy for a minute, and says so if the loop ever drained (Node emits 'beforeExit' then).
const preload = path.join(dir, 'pending-work.cjs');
fs.writeFileSync(
  preload,
  "setTimeout(() => {}, 60_000);\nprocess.on('beforeExit', () => process.stderr.write('LOOP DRAINED\\n'));\n",
);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `kc ARGS` with the preload, its output through pipes; killed after 30 s (then code is null). */
function runWithPendingWork(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', preload, path.join(repoRoot, 'bin/kc.cjs'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, KC_CACHE_DIR: path.join(dir, 'cache'), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('kc ends once its output is written', () => {
  test('a command that succeeds: exit 0, all of its output, without waiting for pending work', async () => {
    const golden = fs.readFileSync(path.join(repoRoot, 'test/golden/mysql-app-dev.yaml'), 'utf8');
    const run = await runWithPendingWork(['synth', 'examples/mysql', '--env', 'dev']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(golden);
  }, 60_000);

  test('a command that fails keeps its exit code and its whole error', async () => {
    const run = await runWithPendingWork(['synth', 'no/such/dir']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^Error \[PROJECT_NOT_FOUND\]: no\/such\/dir does not exist\nHint: .+\n$/);
    expect(run.stderr).not.toContain('LOOP DRAINED');
  }, 60_000);
});
