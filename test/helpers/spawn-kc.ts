// Runs the built CLI (bin/kc.cjs, as users run it) as a child process, for tests of what only a real process shows:
// signals, exit codes, and whether something keeps it alive.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './run-cli.js';

/** How a spawned kc ended, what it printed, and how long it ran. */
export interface SpawnedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Spawns kc; each child is killed (SIGKILL) after `timeoutMs`, or by `killAll` (call it in afterAll). */
export function kcSpawner(env: Record<string, string>) {
  const children = new Set<ChildProcess>();
  const kc = (args: string[], options: { timeoutMs?: number; env?: Record<string, string>; cwd?: string } = {}) => {
    const started = Date.now();
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/kc.cjs'), ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    const done = new Promise<SpawnedRun>((resolve) => {
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        children.delete(child);
        resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
      });
    });
    return { child, done };
  };
  const killAll = () => children.forEach((child) => child.kill('SIGKILL'));
  return { kc, killAll };
}
