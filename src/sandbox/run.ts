// Runs a packaged chart's code in a separate Node process that may read only the unpacked artifact: no writes,
// no child processes, no workers, no environment, and (inside) a vm context whose require refuses I/O modules.
import fs from 'node:fs';
import path from 'node:path';
import type { RunResult } from '../chart/protocol.js';
import { sha256, writeFileAtomic } from '../artifact/index.js';
import { runChild } from './child-run.js';
import { childSource } from './child-source.js';

/** What the sandbox process is asked to do: run one chart as one release with values kc already merged. */
export interface SandboxRequest {
  /** Absolute path of the bundle, inside the folder the process may read. */
  bundle: string;
  release: string;
  namespace?: string;
  env?: string;
  chartVersion?: string;
  appVersion?: string;
  values: Record<string, unknown>;
}

/** Limits of one sandboxed run. */
export interface SandboxLimits {
  timeoutMs: number;
  /** Heap of the sandbox process. */
  maxHeapMb: number;
  /** Size of the JSON answer. */
  maxOutputBytes: number;
}

/** Defaults: 60 s, 512 MiB heap, 64 MiB of output. */
export const SANDBOX_LIMITS: SandboxLimits = { timeoutMs: 60_000, maxHeapMb: 512, maxOutputBytes: 64 * 1024 * 1024 };

/** The sandbox program in the cache (content-addressed, so an upgraded kc never runs an old one). */
export function sandboxProgram(cacheDir: string): string {
  const source = childSource();
  const file = path.join(cacheDir, 'sandbox', `runner-${sha256(source).slice(0, 16)}.cjs`);
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== source) writeFileAtomic(file, source);
  return fs.realpathSync(file);
}

/** Node's permission flag: `--permission` where this Node knows it, else Node 20's `--experimental-permission`. */
function permissionFlag(): string {
  return process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
}

/** The node arguments of a sandbox process: read access to the program and the artifact folder, nothing else. */
export function sandboxArgs(program: string, readableDir: string, limits: SandboxLimits = SANDBOX_LIMITS): string[] {
  return [
    permissionFlag(),
    `--allow-fs-read=${program}`,
    `--allow-fs-read=${readableDir}`,
    // Code that reaches a function of kc's realm cannot turn text into code there (Function('return process')).
    '--disallow-code-generation-from-strings',
    `--max-old-space-size=${limits.maxHeapMb}`,
    '--no-warnings',
    program,
  ];
}

function failed(message: string, stack?: string): RunResult {
  return { ok: false, failure: { kind: 'chart', message, stack } };
}

function lastLines(text: string, n = 10): string {
  return text.trim().split('\n').slice(-n).join('\n');
}

/**
 * Runs the request in a sandbox process and returns its result; crashes and timeouts come back as chart failures,
 * an aborted `signal` as INTERRUPTED.
 */
export async function runSandboxed(
  cacheDir: string,
  request: SandboxRequest,
  limits: SandboxLimits = SANDBOX_LIMITS,
  signal?: AbortSignal,
): Promise<RunResult> {
  const program = sandboxProgram(cacheDir);
  const dir = path.dirname(request.bundle);
  // No environment at all (runChild): even code that escaped the vm finds no credentials in it.
  const res = await runChild(sandboxArgs(program, dir, limits), {
    input: JSON.stringify(request),
    cwd: dir,
    timeoutMs: limits.timeoutMs,
    maxOutputBytes: limits.maxOutputBytes,
    signal,
  });
  const code = (res.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT' || (res.signal === 'SIGKILL' && !res.error)) return failed(`the chart did not finish within ${limits.timeoutMs / 1000} s (stopped)`);
  if (code === 'ENOBUFS') return failed(`the chart produced more than ${limits.maxOutputBytes / 1024 / 1024} MiB of output (stopped)`);
  if (res.error) return failed(`cannot start the chart sandbox: ${res.error.message}`);
  let answer: { result?: RunResult; error?: { message: string; stack?: string } };
  try {
    answer = JSON.parse(res.stdout) as typeof answer;
  } catch {
    const why = res.signal ? `was killed by ${res.signal}` : `exited with code ${res.status}`;
    return failed(`the chart sandbox ${why} without an answer${res.stderr ? `:\n${lastLines(res.stderr)}` : ''}`);
  }
  if (answer.error) return failed(`the chart sandbox failed: ${answer.error.message}`, answer.error.stack);
  return answer.result ?? failed('the chart sandbox gave no result');
}
