// "Did you mean" suggestions for misspelt names (Kubernetes fields in lint, chart values in --set and -f).
import { compareText } from './compare-text.js';

/** Levenshtein distance, ignoring case. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

/** The known name closest to `name`, when it is close enough to be a likely typo (ties: alphabetical). */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const scored = known.map((k) => [k, editDistance(name, k)] as const);
  const best = scored.sort((x, y) => x[1] - y[1] || compareText(x[0], y[0]))[0];
  return best && best[1] <= Math.max(2, Math.floor(name.length / 4)) ? best[0] : undefined;
}
