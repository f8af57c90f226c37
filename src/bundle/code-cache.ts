// Evaluates a CommonJS file as require would, but with V8's code cache: Node 20 keeps no compiled code between
// runs (Node 22's module.enableCompileCache does), and for kc's bundles compiling costs about as much as running.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** A file evaluated once; `saveCache` writes what V8 compiled so far when the cache was missing or rejected. */
export interface CachedEvaluation {
  exports: unknown;
  /** True until saveCache wrote a cache (false from the start when V8 accepted the one it read). */
  cacheWanted: boolean;
  saveCache(): void;
}

// The same wrapper CommonJS gives a module, on the file's first line, so line numbers (and source maps) hold.
const wrap = (source: string) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;

/** Bytes of the source's digest at the head of a cache file. */
const DIGEST_BYTES = 20;

/**
 * The V8 data of a cache file written for exactly `source`, else undefined. V8 checks only the source's length: a
 * cache made for other code of the same length (a rebuild that moved a function) is accepted and crashes the process
 * (seen as SIGSEGV and "Check failed: stack_overflow()"), so each file starts with the sha1 of its source.
 */
export function cachedDataFor(raw: Buffer | undefined, digest: Buffer): Buffer | undefined {
  if (!raw || raw.length <= DIGEST_BYTES || !raw.subarray(0, DIGEST_BYTES).equals(digest)) return undefined;
  return raw.subarray(DIGEST_BYTES);
}

/** Evaluates `file`, reading V8's code cache from `cacheFile` (used only when written for this very source). */
export function evaluateWithCodeCache(file: string, cacheFile: string): CachedEvaluation {
  const source = fs.readFileSync(file, 'utf8');
  const digest = crypto.createHash('sha1').update(source).digest();
  let cachedData: Buffer | undefined;
  try {
    cachedData = cachedDataFor(fs.readFileSync(cacheFile), digest);
  } catch {
    cachedData = undefined;
  }
  // No import() works inside: Node 20 needs --experimental-vm-modules for it (see src/dynamic-import.ts).
  const script = new vm.Script(wrap(source), { filename: file, cachedData });
  const module = { exports: {} as unknown };
  const fn = script.runInThisContext() as (e: unknown, r: NodeRequire, m: unknown, f: string, d: string) => void;
  fn.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  const evaluation: CachedEvaluation = {
    get exports() {
      return module.exports;
    },
    cacheWanted: !cachedData || script.cachedDataRejected === true,
    saveCache() {
      if (!evaluation.cacheWanted) return;
      evaluation.cacheWanted = false;
      // After a run, the cache also holds every function the run compiled, not only the top level.
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
        fs.writeFileSync(tmp, Buffer.concat([digest, script.createCachedData()]));
        fs.renameSync(tmp, cacheFile);
      } catch {
        fs.rmSync(tmp, { force: true }); // a read-only cache only costs the next run the compile
      }
    },
  };
  return evaluation;
}
