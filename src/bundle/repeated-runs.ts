// An upgrade run again exactly as before (same chart bundle, folder and arguments) is usually a no-op that the render
// memo answers without the chart (src/actions/render-memo.ts); any other upgrade renders, and its chart worker is
// better booted while the CLI loads (~90 ms sooner done here). The launcher keeps the signatures of the installs and
// upgrades that succeeded, to tell the two apart before anything else is loaded. A wrong guess costs time, never a
// result.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/write-atomic.js';

/** Signatures kept, the most recent last: enough for the releases one machine upgrades by hand or from CI. */
export const RUNS_KEPT = 64;

const runsFile = (cacheDir: string) => path.join(cacheDir, 'bundles', 'repeated-runs.json');

/** What makes two runs the same: the bundle's digest, the working folder and the arguments after the command. */
export function runSignature(bundleDigest: string, cwd: string, args: readonly string[]): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([bundleDigest, cwd, args]))
    .digest('hex')
    .slice(0, 32);
}

function readRuns(cacheDir: string): string[] {
  try {
    const runs: unknown = JSON.parse(fs.readFileSync(runsFile(cacheDir), 'utf8'));
    return Array.isArray(runs) ? runs.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

/** True when a run with this signature succeeded before (and is still among the last RUNS_KEPT). */
export function ranBefore(cacheDir: string, signature: string): boolean {
  return readRuns(cacheDir).includes(signature);
}

/** Notes that a run with this signature succeeded; best effort (a read-only cache only loses the head start). */
export function rememberRun(cacheDir: string, signature: string): void {
  const runs = readRuns(cacheDir);
  if (runs.at(-1) === signature) return;
  const kept = [...runs.filter((r) => r !== signature), signature].slice(-RUNS_KEPT);
  try {
    // The user's only: a signature hashes the arguments, and a guessable --set secret could be tried against it.
    writeFileAtomic(runsFile(cacheDir), JSON.stringify(kept), 0o600);
  } catch {
    // only ever a guess
  }
}
