// Bundles the CLI (cli/ + src/) and its pure-JS dependencies into dist/kc.js with esbuild: one file loads
// far faster than hundreds of ESM files. esbuild (native) and client-node (loaded only for cluster
// commands) stay external.
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds dist/kc.js. */
export async function buildCli() {
  await esbuild.build({
    entryPoints: [`${root}/cli/main.ts`],
    outfile: `${root}/dist/kc.js`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['esbuild', '@kubernetes/client-node'],
    // CommonJS dependencies bundled into ESM still call require() for node builtins.
    banner: { js: "import { createRequire as __kcCreateRequire } from 'node:module'; const require = __kcCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
