import pc from 'picocolors';
import type { ObjectState } from '../src/kube/wait.js';
import { describeRef } from '../src/kube/types.js';
import { colorFor, type CliIO } from './io.js';
import { fitToWindow, type ProgressEntry } from './progress-fit.js';
import { safe } from './terminal-safe.js';

/** Shows readiness while kc waits: a live table on a terminal, a line per change otherwise; both say why it waits. */
export function progressReporter(io: CliIO): (release: string, states: ObjectState[]) => void {
  const c = pc.createColors(colorFor(io, 'stderr'));
  const last = new Map<string, string>();
  // A deploy waits on independent releases at once: one block of lines per release, in the order they started.
  const blocks = new Map<string, ProgressEntry[]>();
  let drawn = 0;
  return (release, states) => {
    const lines = states.map((s) => {
      const mark = s.readiness.ready ? c.green('✓') : c.yellow('…');
      // Names and the API server's messages are made terminal-safe: this table is redrawn with escape sequences.
      const message = s.readiness.message ? safe` (${s.readiness.message})` : '';
      return `${mark} ${safe`${release}: ${describeRef(s.ref)}  ${s.readiness.reason}`}${message}`;
    });
    if (io.isTTY) {
      // Redraw the table in place: move up over the lines drawn, clear each line, print every release's block again,
      // clear what is left below (the table may have shrunk). Only lines that fit the window: one that wraps or
      // scrolls would throw the next move up off. One column is kept free for terminals that wrap at once.
      const entries = states.map((s, i) => ({
        lines: s.why ? [lines[i], `    ${c.dim(safe`${s.why}`)}`] : [lines[i]],
        ready: s.readiness.ready,
      }));
      blocks.set(release, entries);
      const visible = fitToWindow([...blocks.values()].flat(), io.columns && io.columns - 1, io.rows);
      io.stderr(`${drawn ? `\x1b[${drawn}A` : ''}${visible.map((l) => `\x1b[2K${l}\n`).join('')}\x1b[J`);
      drawn = visible.length;
      return;
    }
    states.forEach((s, i) => {
      const key = `${release}/${describeRef(s.ref)}`;
      const text = `${s.readiness.ready}:${s.readiness.reason}:${s.why ?? ''}`;
      if (last.get(key) !== text) {
        last.set(key, text);
        // \u2014 (an em dash): a tagged template's text stays as written in dist/, which is kept ASCII.
        io.stderr(`${lines[i]}${s.why ? safe` \u2014 ${s.why}` : ''}\n`);
      }
    });
  };
}
