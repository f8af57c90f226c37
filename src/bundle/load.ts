import { createRequire } from 'node:module';
import type { BuiltBundle } from './build.js';

const require = createRequire(import.meta.url);

/** A loaded bundle: its exports, plus what is needed to map stack traces. */
export interface LoadedBundle<T> {
  exports: T;
  file: string;
  bundle: BuiltBundle;
}

/** Loads a cached bundle with require (CommonJS, so cdk8s's own requires of node builtins work). */
export function loadBundle<T>(bundle: BuiltBundle): LoadedBundle<T> {
  return { exports: require(bundle.file) as T, file: bundle.file, bundle };
}
