// Evaluates a CommonJS file as require would, but with V8's code cache: Node 20 keeps no compiled code between
// runs (Node 22's module.enableCompileCache does), and for kc's bundles compiling costs about as much as running.
import { isAscii } from 'node:buffer';
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

/**
 * The text of a source file's bytes. ASCII is decoded as Latin-1 (the same text): V8 then keeps it one byte per
 * character, and kc's 2.8 MB CLI decodes in ~0.3 ms instead of ~12 ms through UTF-8 (scripts/ascii-output.mjs).
 */
export function sourceText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** Evaluates `file`, reading V8's code cache from `cacheFile` (used only when written for this very source). */
export function evaluateWithCodeCache(file: string, cacheFile: string): CachedEvaluation {
  const bytes = fs.readFileSync(file);
  const source = sourceText(bytes);
  // Of the bytes, not the string: hashing a string encodes it to UTF-8 first (~6 ms more for the CLI).
  const digest = crypto.createHash('sha1').update(bytes).digest();
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
