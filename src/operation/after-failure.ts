// When an operation fails, kc records the failure (marks the revision failed, puts the previous one back). That
// bookkeeping can fail too (the server went away, the lock was lost); the user must still see the first error,
// which says what went wrong, plus what was left undone, not the second error alone.
import { KcError, isKcError } from '../errors/index.js';

/**
 * Runs `record` (the failure's bookkeeping) for `err` and gives back the error to throw: `err` itself, with a
 * detail naming what could not be recorded when `record` fails. A holder that lost its lock records nothing.
 */
export async function afterFailure(err: unknown, what: string, record: () => Promise<void>): Promise<unknown> {
  if (isKcError(err) && err.code === 'LOCK_LOST') return err;
  try {
    await record();
    return err;
  } catch (second) {
    const why = second instanceof Error ? second.message : String(second);
    const detail = `could not ${what}: ${why}`;
    if (!isKcError(err))
      return new KcError('INTERNAL', String(err instanceof Error ? err.message : err), { details: [detail] });
    const hint =
      'the record may still say the operation is in progress; the next operation on the release marks it failed';
    return new KcError(err.code, err.message, {
      details: [...err.details, detail],
      hint: err.hint ? `${err.hint}; ${hint}` : hint,
      cause: err,
    });
  }
}
