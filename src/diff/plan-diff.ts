import type { ImmutableChange } from '../kube/replace.js';
import { refKey, type KubeObject } from '../kube/types.js';
import { diffObjects, type DiffOptions, type ObjectChange } from './object-diff.js';
import { compareText } from '../compare-text.js';

/** The live and desired versions of one object; a missing side means create or delete. */
export interface DiffPair {
  live?: KubeObject;
  desired?: KubeObject;
  /** Fields of desired that another field manager owns (one line each): applying needs --force-conflicts. */
  conflicts?: string[];
  /** The API server refuses the update as immutable (desired is then an estimate, see overlayOnLive). */
  immutable?: ImmutableChange;
}

/** Every object's change plus how many of each action. */
export interface DiffSummary {
  changes: ObjectChange[];
  counts: { create: number; update: number; delete: number; unchanged: number };
  hasChanges: boolean;
}

/** Diffs a whole plan: changes in desired order, then deletions sorted by ref key. */
export function diffPlan(pairs: readonly DiffPair[], options: DiffOptions = {}): DiffSummary {
  const kept: ObjectChange[] = [];
  const deleted: ObjectChange[] = [];
  for (const pair of pairs) {
    if (!pair.live && !pair.desired) continue;
    const change = diffObjects(pair.live, pair.desired, options);
    if (pair.conflicts?.length) change.conflicts = pair.conflicts;
    if (pair.immutable) {
      change.immutable = pair.immutable;
      // Refused by the server, so something changes even where the estimate of desired shows nothing.
      if (change.action === 'unchanged') change.action = 'update';
    }
    (change.action === 'delete' ? deleted : kept).push(change);
  }
  // Deletions have no desired position; sorting them keeps the output stable whatever order the inventory used.
  const byKey = deleted.map((c) => [refKey(c.ref), c] as const).sort(([a], [b]) => compareText(a, b));
  const changes = [...kept, ...byKey.map(([, c]) => c)];
  const counts = { create: 0, update: 0, delete: 0, unchanged: 0 };
  for (const c of changes) counts[c.action]++;
  return { changes, counts, hasChanges: counts.create + counts.update + counts.delete > 0 };
}
