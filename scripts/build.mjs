// Bundles the CLI (cli/ + src/) and its pure-JS dependencies into dist/kc.js with esbuild: one file loads
// far faster than hundreds of ESM files. esbuild (native) and client-node (loaded only for cluster
// commands) stay external.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A digest of everything the CLI is built from (src/build-id.ts): what kc remembers across runs is tied to it. */
function buildId() {
  const hash = crypto.createHash('sha256');
  const files = ['package-lock.json', ...['cli', 'src'].flatMap((dir) => fs.readdirSync(path.join(root, dir), { recursive: true }).map((f) => path.join(dir, f)))]
    .filter((f) => fs.statSync(path.join(root, f)).isFile())
    .sort();
  for (const f of files) hash.update(`${f}\0`).update(fs.readFileSync(path.join(root, f))).update('\0');
  return hash.digest('hex').slice(0, 32);
}

/** Builds dist/kc.js. */
export async function buildCli() {
  await esbuild.build({
    entryPoints: { kc: `${root}/cli/main.ts` },
    outdir: `${root}/dist`,
    // client-node is imported dynamically, so splitting puts it in its own chunk that only cluster commands load.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['esbuild'],
    define: { __KC_BUILD_ID__: JSON.stringify(buildId()) },
    // CommonJS dependencies bundled into ESM still call require() for node builtins.
    banner: { js: "import { createRequire as __kcCreateRequire } from 'node:module'; const require = __kcCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
