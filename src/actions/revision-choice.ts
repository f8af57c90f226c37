// Which revision an operation starts from or goes to, judged from the release index alone.
import { KcError } from '../errors/index.js';
import type { RevisionSummary } from '../release/index.js';

/** The latest revision when it is deployed with this digest (then there is nothing to do), else undefined. */
export function deployedAs(history: readonly RevisionSummary[], digest: string): RevisionSummary | undefined {
  const latest = history.at(-1);
  return latest?.status === 'deployed' && latest.digest === digest ? latest : undefined;
}

/**
 * The summary of the revision a rollback goes to: `to`; else the latest when it was uninstalled with
 * --keep-history (rolling back brings it back); else the one before the latest.
 */
export function rollbackTarget(history: RevisionSummary[], to: number | undefined): RevisionSummary {
  const latest = history.at(-1);
  const target = to ?? (latest?.status === 'uninstalled' ? latest.revision : history.at(-2)?.revision);
  return keptRevision(
    history,
    target,
    to === undefined
      ? 'there is no previous revision to roll back to'
      : `revision ${to} does not exist (or was trimmed from history)`,
  );
}

/** The summary of `revision` in `history`, or REVISION_NOT_FOUND with `message` and the revisions that are kept. */
export function keptRevision(
  history: readonly RevisionSummary[],
  revision: number | undefined,
  message: string,
): RevisionSummary {
  const found = history.find((h) => h.revision === revision);
  if (!found)
    throw new KcError('REVISION_NOT_FOUND', message, {
      hint: `revisions kept: ${history.map((h) => h.revision).join(', ')}`,
    });
  return found;
}
