// Which releases `kc list` shows, and in what order: Helm's `helm list` flags over kc's index entries.
import { KcError } from '../errors/index.js';
import type { ReleaseStatus, RevisionSummary } from './record.js';
import { compareText } from '../compare-text.js';

/** The states `kc list` filters on, one flag each, as in `helm list`. */
export const LIST_STATES = ['deployed', 'failed', 'pending', 'superseded', 'uninstalling', 'uninstalled'] as const;

/** One of `kc list`'s state flags. */
export type ListState = (typeof LIST_STATES)[number];

/** What `kc list` was asked for; every field is optional and the defaults are Helm's (apart from `states`). */
export interface ListQuery {
  /** Only releases whose latest revision is in one of these states. None: every state but uninstalled. */
  states?: readonly ListState[];
  /** Every state, uninstalled included. */
  all?: boolean;
  /** A regular expression the release name must match (anywhere in it, as Helm's --filter). */
  filter?: string;
  /** Order by last update (oldest first) rather than by namespace and name. */
  byDate?: boolean;
  reverse?: boolean;
  /** Skip this many releases of the sorted list. */
  offset?: number;
  /** Show at most this many (after the offset); 0 or undefined: no limit. */
  max?: number;
}

const stateOf = (status: ReleaseStatus): ListState =>
  status.startsWith('pending')
    ? 'pending'
    : (status as Exclude<ReleaseStatus, 'pending-install' | 'pending-upgrade' | 'pending-rollback'>);

/** The query's name filter compiled, or USAGE naming the bad expression. Checked before anything is read. */
export function nameFilter(query: ListQuery): RegExp | undefined {
  if (query.filter === undefined) return undefined;
  try {
    return new RegExp(query.filter);
  } catch (err) {
    throw new KcError(
      'USAGE',
      `--filter ${JSON.stringify(query.filter)} is not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`,
      {
        hint: 'give a JavaScript regular expression, e.g. --filter "^web" for names starting with web',
      },
    );
  }
}

/**
 * Whether `query` lists superseded revisions themselves (`--superseded` alone); every other query shows latest
 * revisions, which are never superseded, so it can be answered from the index without them.
 */
export function listsSuperseded(query: ListQuery): boolean {
  const states = query.states ?? [];
  return states.length > 0 && states.every((s) => s === 'superseded') && !query.all;
}

/**
 * The releases `query` selects from `summaries` (every kept revision of every release): the latest revision of each
 * release, filtered by state and name, sorted, then cut by offset and max. As in Helm, `--superseded` alone lists the
 * superseded revisions themselves (a latest revision is never superseded).
 */
export function selectReleases(summaries: readonly RevisionSummary[], query: ListQuery = {}): RevisionSummary[] {
  const name = nameFilter(query);
  const states = new Set(query.states ?? []);
  const onlySuperseded = listsSuperseded(query);
  let rows = summaries.filter((s) => !name || name.test(s.name));
  if (!onlySuperseded) {
    const latest = new Map<string, RevisionSummary>();
    for (const s of rows) {
      const key = `${s.namespace}/${s.name}`;
      if ((latest.get(key)?.revision ?? 0) < s.revision) latest.set(key, s);
    }
    rows = [...latest.values()];
  }
  if (!query.all) rows = rows.filter((s) => (states.size ? states.has(stateOf(s.status)) : s.status !== 'uninstalled'));
  const byName = (a: RevisionSummary, b: RevisionSummary) =>
    compareText(a.namespace, b.namespace) || compareText(a.name, b.name) || a.revision - b.revision;
  rows.sort(query.byDate ? (a, b) => compareText(a.updated, b.updated) || byName(a, b) : byName);
  if (query.reverse) rows.reverse();
  const start = query.offset ?? 0;
  return rows.slice(start, query.max ? start + query.max : undefined);
}
