// A project file is code: when evaluating it throws, the user is told which file and line threw and what it said,
// as chart code failures are (src/synth/failure.ts), rather than an INTERNAL error that blames kc.
import path from 'node:path';
import { mapStack, userFrame, type LoadedBundle } from '../bundle/index.js';
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
