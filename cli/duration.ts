import { KcError } from '../src/errors/index.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go-style duration (300s, 5m, 1m30s, 500ms; a bare number is seconds) into milliseconds. */
export function parseDuration(text: string, flag: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new KcError('USAGE', `${flag} ${text}: not a duration`, { hint: 'write durations like 300s, 5m or 1m30s' });
  }
  return parts.reduce((ms, p) => ms + Number(p[1]) * UNITS[p[2]], 0);
}
