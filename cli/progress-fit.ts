// The live progress table must fit the window: a line wider than it wraps and a table taller than it scrolls, and
// the redraw, which moves the cursor up over the lines it drew, would then land in the wrong place.
import { truncateToWidth } from './text-width.js';

/** One object's lines in the table (its state, then why it is unready) and whether it is ready. */
export interface ProgressEntry {
  lines: string[];
  ready: boolean;
}

/**
 * The lines to draw: every line cut to `columns` (when known); when the table and the cursor's line do not fit in
 * `rows`, the entries that fit in rows-2 lines and a "… and N more (M ready)" line.
 */
export function fitToWindow(entries: ProgressEntry[], columns?: number, rows?: number): string[] {
  const total = entries.reduce((n, e) => n + e.lines.length, 0);
  let shown = entries;
  let more: string[] = [];
  if (rows !== undefined && rows > 0 && total + 1 > rows) {
    let used = 0;
    const fit = entries.findIndex((e) => (used += e.lines.length) > rows - 2);
    shown = entries.slice(0, fit);
    const hidden = entries.slice(fit);
    more = [`… and ${hidden.length} more (${hidden.filter((e) => e.ready).length} ready)`];
  }
  const lines = [...shown.flatMap((e) => e.lines), ...more];
  return columns === undefined || columns <= 0 ? lines : lines.map((l) => truncateToWidth(l, columns));
}
