import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { BuiltBundle } from './build.js';

const require = createRequire(import.meta.url);

/** A bundle written to the cache and loaded: its exports, plus what is needed to map stack traces. */
export interface LoadedBundle<T> {
  exports: T;
  file: string;
  bundle: BuiltBundle;
}

/** Writes a bundle to `<cacheDir>/bundles/<digest>.cjs` (once) and loads it with require. */
export function loadBundle<T>(bundle: BuiltBundle, cacheDir: string): LoadedBundle<T> {
  const dir = path.join(cacheDir, 'bundles');
  const file = path.join(dir, `${bundle.digest}.cjs`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    // Write then rename, so a concurrent kc never loads a half-written file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, bundle.code);
    fs.renameSync(tmp, file);
  }
  return { exports: require(file) as T, file, bundle };
}
