import type { RevisionSummary } from '../src/release/index.js';

/** A revision's status as tables show it: `pending-upgrade (interrupted)` when its process stopped. */
export function statusText(s: Pick<RevisionSummary, 'status' | 'interrupted'>): string {
  return s.interrupted ? `${s.status} (interrupted)` : s.status;
}

/** The STATUS line of `kc status`: the interruption's time and holder spelled out. */
export function statusLine(s: Pick<RevisionSummary, 'status' | 'interrupted'>): string {
  if (!s.interrupted) return s.status;
  const by = s.interrupted.by ? ` by ${s.interrupted.by}` : '';
  return `${s.status} (interrupted: run${by}, last alive ${s.interrupted.since}; the next operation marks it failed)`;
}
