import v8 from 'node:v8';
import type { BuiltBundle } from './build.js';
import { evaluateWithCodeCache, type CachedEvaluation } from './code-cache.js';

/** A loaded bundle: its exports, plus what is needed to map stack traces. */
export interface LoadedBundle<T> {
  exports: T;
  file: string;
  bundle: BuiltBundle;
  /** Called once the bundle's code has run: a good moment to remember the code V8 compiled for it. */
  afterRun?: () => void;
}

/**
 * Where V8's code cache of a bundle is kept: one file per V8 version and flag set, since V8 rejects a cache made
 * under other flags and cluster commands run with other flags than synth (cli/launch.ts); a shared file would be
 * rewritten at every switch between them.
 */
export function codeCacheFile(bundleFile: string): string {
  return `${bundleFile}.${v8.cachedDataVersionTag().toString(16)}.v8cache`;
}

/** Evaluated bundles of this process, by file, as require's module cache would keep them. */
const evaluated = new Map<string, CachedEvaluation>();

/**
 * Loads a cached bundle (CommonJS, so cdk8s's own requires of node builtins work) on first use of `exports`, with
 * V8's code cache kept beside it: a chart bundle (cdk8s, cdk8s-plus, zod: ~1.8 MB) then loads in half the time,
 * and a deploy that finds nothing changed never evaluates it at all.
 */
export function loadBundle<T>(bundle: BuiltBundle): LoadedBundle<T> {
  const load = () => {
    let entry = evaluated.get(bundle.file);
    if (!entry) {
      entry = evaluateWithCodeCache(bundle.file, codeCacheFile(bundle.file));
      evaluated.set(bundle.file, entry);
    }
    return entry;
  };
  return {
    get exports() {
      return load().exports as T;
    },
    file: bundle.file,
    bundle,
    afterRun: () => evaluated.get(bundle.file)?.saveCache(),
  };
}
