import { ErrorCodes, type ErrorCode } from './codes.js';

/** Options of a KcError beyond its code and message. */
export interface KcErrorOptions {
  /** What the user can do about it, one line. */
  hint?: string;
  /** Extra lines shown under the message (e.g. one per invalid value). */
  details?: string[];
  cause?: unknown;
}

/** The one error type kc throws: a stable code, a one-line message, a hint and an exit code. */
export class KcError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly details: string[];

  constructor(code: ErrorCode, message: string, options: KcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KcError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }

  /** The process exit code for this error. */
  get exitCode(): number {
    return ErrorCodes[this.code];
  }
}

/** True when the value is a KcError (duck-typed, so it also holds across module copies). */
export function isKcError(value: unknown): value is KcError {
  return value instanceof Error && (value as { name?: string }).name === 'KcError' && 'code' in value;
}

/** Wraps anything unexpected as an INTERNAL error that tells the user it is a bug. */
export function internalError(cause: unknown): KcError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new KcError('INTERNAL', `internal error: ${message}`, {
    hint: 'this is a bug in kc; please report it with the command you ran',
    cause,
  });
}
