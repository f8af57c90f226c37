// Runs the helm binary: bounded in time and output, stopped by the caller's signal, never through a shell.
import { spawn } from 'node:child_process';
import { KcError } from '../errors/index.js';

/** What one helm run printed, and how it ended. */
export interface HelmRunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** How to run helm. */
export interface HelmRunOptions {
  /** Written to helm's standard input (e.g. values for `-f -`). */
  stdin?: string;
  signal?: AbortSignal;
  /** Default 120 s. */
  timeoutMs?: number;
  /** Most bytes of standard output accepted (default 256 MiB). */
  maxBytes?: number;
  env?: NodeJS.ProcessEnv;
}

/** Runs helm with arguments; the run's output and exit, or a KcError when it could not run or was stopped. */
export type HelmRunner = (binary: string, args: string[], options: HelmRunOptions) => Promise<HelmRunResult>;

/** The real runner: child_process.spawn without a shell. */
export const runHelm: HelmRunner = (binary, args, options) =>
  new Promise((resolve, reject) => {
    const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let failure: KcError | undefined;
    const stop = (why: KcError) => {
      failure ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () =>
        stop(
          new KcError('TIMEOUT', `helm ${args[0]} did not finish in ${(options.timeoutMs ?? 120_000) / 1000} s`, {
            hint: 'run the same `helm template` by hand to see where it hangs',
          }),
        ),
      options.timeoutMs ?? 120_000,
    );
    const onAbort = () =>
      stop(new KcError('INTERRUPTED', `helm ${args[0]} was stopped`, { hint: 'run the command again' }));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > maxBytes) {
        stop(
          new KcError('ARCHIVE_UNSAFE', `helm ${args[0]} printed more than ${maxBytes} bytes`, {
            hint: 'check the chart: its output is far larger than any release',
          }),
        );
      } else out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdin.on('error', () => undefined); // helm may exit before reading its input; its exit code says why
    child.stdin.end(options.stdin ?? '');
    const done = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      done();
      reject(
        new KcError('HELM_NOT_FOUND', `helm could not be started (${binary}): ${e.code ?? e.message}`, {
          hint: 'set KC_HELM to the path of a Helm 4 binary',
        }),
      );
    });
    child.on('close', (code, signal) => {
      done();
      if (failure) return reject(failure);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
