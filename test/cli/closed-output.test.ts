// `kc … | head`: a reader that goes away closes kc's stdout; kc finishes without Node's "Unhandled 'error' event".
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { repoRoot } from '../helpers/run-cli.js';

/** Runs kc with its stdout's read end closed at once; resolves its exit code and stderr. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/kc.cjs'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone before kc writes anything
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('kc with a closed stdout', () => {
  test.each([[['--help']], [['synth', 'examples/mysql', '--env', 'dev']]])(
    '%j ends as it would have, quietly',
    async (args) => {
      const { code, stderr } = await runWithClosedStdout(args);
      expect(stderr).not.toMatch(/EPIPE|Unhandled/);
      expect(code).toBe(0);
    },
    90_000,
  );
});
