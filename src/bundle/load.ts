import { createRequire } from 'node:module';
import type { BuiltBundle } from './build.js';

const require = createRequire(import.meta.url);

/** A loaded bundle: its exports, plus what is needed to map stack traces. */
export interface LoadedBundle<T> {
  exports: T;
  file: string;
  bundle: BuiltBundle;
}

/**
 * Loads a cached bundle with require (CommonJS, so cdk8s's own requires of node builtins work), on first use of
 * `exports`: a deploy that finds nothing changed never pays for evaluating the chart's code.
 */
export function loadBundle<T>(bundle: BuiltBundle): LoadedBundle<T> {
  let exports: T | undefined;
  return {
    get exports() {
      exports ??= require(bundle.file) as T;
      return exports;
    },
    file: bundle.file,
    bundle,
  };
}
