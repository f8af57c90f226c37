// Which cached bundle a chart or project folder used last, so that the launcher (cli/launch.ts) can have a chart
// worker evaluate it while the CLI itself still loads (~70 ms of a 500-object install's path to its first apply).
// The hint only names a cache entry; the bundle is used only when every input it was built from is unchanged,
// exactly as the CLI's own lookup decides (cachedBundle), so the CLI then asks for that same file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BuiltBundle } from './build.js';
import { cachedBundle } from './cache.js';
import { codeCacheFile } from './load.js';
import { writeFileAtomic } from '../io/write-atomic.js';

/** What a hint file holds: the bundle cache's key for the folder's entry, and the bundle's source-map root. */
interface Hint {
  key: string;
  sourceRoot: string;
}

const hintFile = (cacheDir: string, dir: string) =>
  path.join(cacheDir, 'bundles', `hint-${crypto.createHash('sha256').update(dir).digest('hex').slice(0, 32)}.json`);

/** Remembers that the folder `dir` (absolute, as given on the command line) was rendered from `bundle`. */
export function rememberBundle(cacheDir: string, dir: string, bundle: BuiltBundle): void {
  if (!bundle.key) return;
  const file = hintFile(cacheDir, dir);
  const text = JSON.stringify({ key: bundle.key, sourceRoot: bundle.sourceRoot } satisfies Hint);
  try {
    if (fs.readFileSync(file, 'utf8') === text) return;
  } catch {
    // no hint yet
  }
  try {
    writeFileAtomic(file, text);
  } catch {
    // a hint is only ever a head start: a read-only cache costs nothing else
  }
}

/** The bundle the folder `dir` used last, when its inputs are all unchanged since; else undefined. */
export function hintedBundle(cacheDir: string, dir: string): BuiltBundle | undefined {
  try {
    const hint = JSON.parse(fs.readFileSync(hintFile(cacheDir, dir), 'utf8')) as Partial<Hint>;
    if (typeof hint.key !== 'string' || typeof hint.sourceRoot !== 'string') return undefined;
    return cachedBundle(cacheDir, hint.key, hint.sourceRoot);
  } catch {
    return undefined;
  }
}

/**
 * The bundle that the folder named in `args` used last, or the working folder's when no argument names a folder, when
 * it is current; else undefined. Arguments that name no folder (a release name, a flag's value) are passed over.
 */
export function hintFor(args: readonly string[], cwd: string, cacheDir: string): BuiltBundle | undefined {
  const named = args.filter((a) => !a.startsWith('-')).map((a) => path.resolve(cwd, a));
  const dirs = named.filter((d) => fs.statSync(d, { throwIfNoEntry: false })?.isDirectory());
  for (const dir of dirs.length ? dirs : [cwd]) {
    const bundle = hintedBundle(cacheDir, dir);
    if (bundle) return bundle;
  }
  return undefined;
}

/** Has `worker` (a chart worker not yet given a job) evaluate `bundle` now, ahead of the job. */
export function preload(worker: { postMessage(message: unknown): void }, bundle: BuiltBundle): void {
  worker.postMessage({ op: 'load', file: bundle.file, cacheFile: codeCacheFile(bundle.file) });
}

/** Has `worker` evaluate the bundle hintFor finds; returns that bundle's file, or undefined when none is current. */
export function preloadHinted(
  worker: { postMessage(message: unknown): void },
  args: readonly string[],
  cwd: string,
  cacheDir: string,
): string | undefined {
  const bundle = hintFor(args, cwd, cacheDir);
  if (bundle) preload(worker, bundle);
  return bundle?.file;
}
