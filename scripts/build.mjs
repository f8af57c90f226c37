// Bundles the CLI (cli/ + src/) into dist/kc.js with esbuild; dependencies stay external.
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
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
