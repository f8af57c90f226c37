// Which revision `kc rollback` returns to, read from the release index: all of it, or (when every revision is kept
// and the index may be long) only the entries not superseded and the target's own record.
import { isKcError } from '../errors/index.js';
import type { ReleaseRecord, ReleaseStore, RevisionSummary } from '../release/index.js';
import { rollbackTarget } from './revision-choice.js';

/** The record a rollback applies again, and the release's latest revision. */
export interface RollbackRevisions {
  target: ReleaseRecord;
  latest: RevisionSummary;
}

/**
 * The revision a rollback goes to (`to`, else as rollbackTarget chooses) read in full, with the latest revision.
 * With `historyMax` 0 the whole index is read only when the shortcut cannot answer: the latest revision is never
 * superseded, and the one a rollback goes to by default is the revision numbered just before it, when that exists
 * (trimming with a small limit can leave a gap there). A missing target is then reported from the whole index, with
 * the revisions kept, as always.
 */
export async function rollbackRevisions(
  store: ReleaseStore,
  namespace: string,
  release: string,
  to: number | undefined,
  historyMax: number | undefined,
): Promise<RollbackRevisions> {
  const whole = async (): Promise<RollbackRevisions> => {
    const history = await store.requireHistory(namespace, release);
    const chosen = rollbackTarget(history, to);
    return { target: await store.read(namespace, release, chosen.revision), latest: history.at(-1)! };
  };
  if (historyMax !== 0) return whole();
  const latest = (await store.history(namespace, release, { withoutSuperseded: true })).at(-1);
  if (!latest) return whole(); // no release (reported from the whole index), or none but superseded revisions
  const revision = to ?? (latest.status === 'uninstalled' ? latest.revision : latest.revision - 1);
  try {
    return { target: await store.read(namespace, release, revision), latest };
  } catch (err) {
    if (isKcError(err) && err.code === 'REVISION_NOT_FOUND') return whole();
    throw err;
  }
}
