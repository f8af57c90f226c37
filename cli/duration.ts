import { KcError } from '../src/errors/index.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

// Node's timers hold at most 2^31-1 ms (24.8 days); a longer wait would fire at once.
const MAX_MS = 2 ** 31 - 1;

/** Parses a Go-style duration (300s, 5m, 1m30s, 500ms; a bare number is seconds) into milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const shown = `${flag} ${JSON.stringify(text)}`;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
      throw new KcError('USAGE', `${shown} is not a duration`, { hint: 'write durations like 300s, 5m or 1m30s' });
    }
    ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
  }
  if (ms > MAX_MS) throw new KcError('USAGE', `${shown} is too long: kc waits at most 596h`, { hint: 'give a shorter duration, e.g. 30m or 2h' });
  return Math.round(ms);
}
