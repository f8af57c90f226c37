import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type { BuiltBundle } from './build.js';

/** A loaded bundle: its exports, plus what is needed to map stack traces. */
export interface LoadedBundle<T> {
  exports: T;
  file: string;
  bundle: BuiltBundle;
  /** Called once the bundle's code has run: a good moment to remember the code V8 compiled for it. */
  afterRun?: () => void;
}

/** Evaluated bundles of this process, by file, as require's module cache would keep them. */
const evaluated = new Map<string, { exports: unknown; script: vm.Script; cacheWanted: boolean }>();

const codeCacheOf = (file: string) => `${file}.v8cache`;

// The same wrapper CommonJS gives a module, on the bundle's first line, so line numbers (and the source map) hold.
const wrap = (source: string) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;

/**
 * Evaluates a CommonJS bundle as require would, but with V8's code cache: Node 20 caches no compiled code,
 * and compiling a chart bundle (cdk8s, cdk8s-plus, zod: ~1.8 MB) costs about as much as running it.
 */
function evaluate(file: string): { exports: unknown; script: vm.Script; cacheWanted: boolean } {
  const source = fs.readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(codeCacheOf(file));
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(wrap(source), { filename: file, cachedData });
  const module = { exports: {} as unknown };
  const fn = script.runInThisContext() as (e: unknown, r: NodeRequire, m: unknown, f: string, d: string) => void;
  fn.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  // V8 rejects a cache made by another V8 or for other source; it is then made again.
  return { exports: module.exports, script, cacheWanted: !cachedData || script.cachedDataRejected === true };
}

/** Writes the code V8 compiled so far (module bodies and everything the run called) beside the bundle; best effort. */
function saveCodeCache(file: string, script: vm.Script): void {
  const target = codeCacheOf(file);
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, target);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Loads a cached bundle (CommonJS, so cdk8s's own requires of node builtins work) on first use of `exports`:
 * a deploy that finds nothing changed never pays for evaluating the chart's code.
 */
export function loadBundle<T>(bundle: BuiltBundle): LoadedBundle<T> {
  const load = () => {
    let entry = evaluated.get(bundle.file);
    if (!entry) {
      entry = evaluate(bundle.file);
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
    afterRun() {
      const entry = evaluated.get(bundle.file);
      if (!entry?.cacheWanted) return;
      entry.cacheWanted = false;
      saveCodeCache(bundle.file, entry.script);
    },
  };
}
