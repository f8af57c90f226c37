// Bundles the CLI (cli/ + src/) and its pure-JS dependencies into dist/kc.js with esbuild: one file loads
// far faster than hundreds of ESM files. esbuild (native) and client-node (loaded only for cluster
// commands) stay external.
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

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
    // CommonJS dependencies bundled into ESM still call require() for node builtins.
    banner: { js: "import { createRequire as __kcCreateRequire } from 'node:module'; const require = __kcCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
