import { spawn } from 'node:child_process';
import { KcError, isKcError } from '../errors/index.js';

/** How a sandbox process ended, in spawnSync's terms (`error.code` ETIMEDOUT or ENOBUFS when kc stopped it). */
export interface ChildOutcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  error?: NodeJS.ErrnoException;
}

/** How to run a sandbox process: its input, limits, and the signal that stops it (Ctrl-C). */
export interface ChildRun {
  input: string;
  cwd: string;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

const ended = (code: string, message: string) => Object.assign(new Error(message), { code });

/**
 * Runs node with `args` as spawnSync would, with no environment, but leaves kc's thread free while it runs: a
 * chart that takes long blocks neither Ctrl-C nor the release lock's renewal. An aborted `signal` kills the
 * process and rejects with INTERRUPTED.
 */
export function runChild(args: string[], run: ChildRun): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: {}, cwd: run.cwd, stdio: 'pipe', windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let error: NodeJS.ErrnoException | undefined;
    const stop = (why: NodeJS.ErrnoException) => {
      error ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(ended('ETIMEDOUT', 'timed out')), run.timeoutMs);
    const onAbort = () => stop(ended('ABORTED', 'aborted'));
    run.signal?.addEventListener('abort', onAbort, { once: true });
    const take = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > run.maxOutputBytes) stop(ended('ENOBUFS', 'too much output'));
      else into.push(chunk);
    };
    child.stdout.on('data', take(out));
    child.stderr.on('data', take(err));
    child.stdin.on('error', () => undefined); // a process that died before reading its input is reported by close
    child.on('error', (e) => (error ??= e));
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      if (run.signal?.aborted) {
        const reason: unknown = run.signal.reason;
        const by = isKcError(reason) && reason.code === 'INTERRUPTED' ? reason.message : 'interrupted';
        const hint = 'the chart was stopped before anything was applied; run the command again';
        reject(new KcError('INTERRUPTED', `${by} while chart code was running`, { hint }));
        return;
      }
      const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');
      resolve({ status, signal, stdout: text(out), stderr: text(err), error });
    });
    if (run.signal?.aborted) onAbort();
    child.stdin.end(run.input);
  });
}
