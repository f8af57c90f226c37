// The CLI's entry in dist/launch.cjs (run by bin/kc.cjs): evaluates the bundled CLI (dist/kc.cjs) with V8's code
// cache, one cache per command in kc's cache folder, written after the command's first run so it holds everything
// that run compiled. Node 20 keeps no compiled code between runs; this saves every command ~20 ms of compiling.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateWithCodeCache } from '../src/bundle/code-cache.js';
import { defaultCacheDir } from '../src/dirs.js';

/** Runs the CLI bundled beside this file. */
export async function launch(): Promise<void> {
  const dist = path.dirname(fileURLToPath(import.meta.url));
  const command = /^[a-z][a-z-]{0,30}$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
  // The CLI is evaluated through vm, where Node 20 has no import(): it borrows this module's (src/dynamic-import.ts).
  (globalThis as { __kcImport?: (s: string) => Promise<unknown> }).__kcImport = (specifier) => import(specifier);
  const cli = evaluateWithCodeCache(path.join(dist, 'kc.cjs'), path.join(defaultCacheDir(), 'code-cache', `cli-${command}.v8cache`));
  if (cli.cacheWanted) process.once('exit', () => cli.saveCache());
  await (cli.exports as { runCli: () => Promise<void> }).runCli();
}
