// A project file is code: when evaluating it throws, the user is told which file and line threw and what it said,
// as chart code failures are (src/synth/failure.ts), rather than an INTERNAL error that blames kc. It runs on a
// worker thread (src/bundle/chart-worker.ts), so a call that would end kc, or Ctrl-C, is told here too.
import path from 'node:path';
import { mapStack, userCodeAt, userFrame, type LoadedBundle, type WorkerErrors } from '../bundle/index.js';
import { KcError, isKcError } from '../errors/index.js';
import { kcRoot } from '../kc-root.js';

function isErrorLike(value: unknown): value is { message: string; stack?: string } {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/** The CONFIG_INVALID error for a project file (`label`) whose code threw `thrown`, naming the source file and line. */
export function configThrewError(thrown: unknown, loaded: LoadedBundle<unknown>, label: string, cwd: string): KcError {
  if (isKcError(thrown)) return thrown;
  // Duck-typed: the bundle may run in another realm, whose Error is not this one's.
  const error = isErrorLike(thrown) ? thrown : undefined;
  const text = error ? error.message : String(thrown);
  const [first, ...more] = text.split('\n');
  const frames = error?.stack ? mapStack(error.stack, loaded) : [];
  const frame = userFrame(frames, kcRoot()) ?? frames[0];
  const at = frame ? [`at ${path.relative(cwd, frame.file) || frame.file}:${frame.line}:${frame.column}`] : [];
  return new KcError('CONFIG_INVALID', `${label} threw while it was evaluated: ${first}`, {
    details: [...more.filter((l) => l.trim() !== ''), ...at],
    hint: 'fix the project file at the location shown; it runs as code each time kc reads it',
    cause: thrown,
  });
}

const NO_EXIT_HINT = 'a project file must not end the process: throw an Error to stop kc (kc shows where)';

/** How a worker evaluating the project file `label` tells its failures: CONFIG_INVALID, or INTERRUPTED. */
export function projectFileErrors(label: string): WorkerErrors {
  return {
    ended(end, bundle, cwd) {
      if (end.fatal) {
        const details = userCodeAt(bundle, end.fatal.stack, cwd);
        return new KcError('CONFIG_INVALID', `${label} called ${end.fatal.call}`, { details, hint: NO_EXIT_HINT });
      }
      if ((end.error as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        return new KcError('CONFIG_INVALID', `${label} ran out of memory while it was evaluated`, {
          hint: 'look for a loop in the project file that keeps creating objects',
        });
      }
      if (end.error) return configThrewError(end.error, { exports: undefined, file: bundle.file, bundle }, label, cwd);
      const message = `${label} stopped kc's thread for it (exit code ${end.code}) before it was evaluated`;
      return new KcError('CONFIG_INVALID', message, { hint: NO_EXIT_HINT });
    },
    interrupted(signal) {
      const reason: unknown = signal?.reason;
      const by = isKcError(reason) && reason.code === 'INTERRUPTED' ? reason.message : 'interrupted';
      return new KcError('INTERRUPTED', `${by} while ${label} was evaluated`, {
        hint: 'kc stopped the project file before it finished; run the command again',
      });
    },
  };
}
