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
      entry = evaluateWithCodeCache(bundle.file, `${bundle.file}.v8cache`);
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
