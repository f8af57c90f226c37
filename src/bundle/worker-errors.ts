import path from 'node:path';
import { KcError, isKcError } from '../errors/index.js';
import { kcRoot } from '../kc-root.js';
import type { BuiltBundle } from './build.js';
import type { LoadedBundle } from './load.js';
import { mapStack, userFrame } from './stack.js';

/** What a chart worker saw before its thread stopped without answering. */
export interface WorkerEnd {
  /** The call that would have ended kc (`process.exit(0)`), and its stack. */
  fatal?: { call: string; stack?: string };
  /** The worker's error event, if any. */
  error?: Error;
  code: number;
}

const NO_EXIT_HINT = 'chart code must not end the process: throw an Error to fail the render (kc shows where)';

/** How a worker tells its failures: whose code it ran (chart code by default, or a project file). */
export interface WorkerErrors {
  /** The error for a thread that stopped before it answered. */
  ended(end: WorkerEnd, bundle: BuiltBundle, cwd: string): KcError;
  /** The error for code stopped by `signal`. */
  interrupted(signal: AbortSignal | undefined): KcError;
}

/** `at file:line:column` of the first frame of `stack` in the user's own code, when it names one. */
export function userCodeAt(bundle: BuiltBundle, stack: string | undefined, cwd: string): string[] {
  if (!stack) return [];
  const loaded: LoadedBundle<unknown> = { exports: undefined, file: bundle.file, bundle };
  const frames = mapStack(stack, loaded);
  const frame = userFrame(frames, kcRoot()) ?? frames[0];
  return frame ? [`at ${path.relative(cwd, frame.file)}:${frame.line}:${frame.column}`] : [];
}

/** The CHART_FAILED error for a chart worker whose thread stopped before it answered. */
export function workerEndError(end: WorkerEnd, bundle: BuiltBundle, cwd: string): KcError {
  if (end.fatal) {
    const details = userCodeAt(bundle, end.fatal.stack, cwd);
    return new KcError('CHART_FAILED', `chart code called ${end.fatal.call}`, { details, hint: NO_EXIT_HINT });
  }
  if ((end.error as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const hint = 'look for a loop in the chart that keeps creating objects';
    return new KcError('CHART_FAILED', 'chart code ran out of memory', { hint });
  }
  if (end.error) {
    const details = userCodeAt(bundle, end.error.stack, cwd);
    const hint = 'fix the chart or app code at the location shown';
    return new KcError('CHART_FAILED', `chart code threw: ${end.error.message}`, { details, hint });
  }
  const message = `the chart's thread stopped (exit code ${end.code}) before it answered`;
  return new KcError('CHART_FAILED', message, { hint: NO_EXIT_HINT });
}

/** The INTERRUPTED error for chart code stopped by `signal` (its reason names the signal, as cli/main.ts sets it). */
export function interruptedError(signal: AbortSignal | undefined): KcError {
  const reason: unknown = signal?.reason;
  const by = isKcError(reason) && reason.code === 'INTERRUPTED' ? reason.message : 'interrupted';
  return new KcError('INTERRUPTED', `${by} while chart code was running`, {
    hint: 'the chart was stopped before anything was applied; run the command again',
  });
}

/** The errors of a worker running chart code. */
export const chartErrors: WorkerErrors = { ended: workerEndError, interrupted: interruptedError };
