// Bundles the CLI (cli/ + src/) and its pure-JS dependencies with esbuild: one file loads far faster than
// hundreds of ESM files. esbuild (native) stays external; client-node's config module gets a file of its own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { asciiOutput } from './ascii-output.mjs';
import { directBuiltins, eagerBuiltins } from './direct-builtins.mjs';

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

// The CLI is CommonJS so that cli/launch.ts can evaluate it with V8's code cache (Node 20 caches no ESM code).
// client-node's config module (kubeconfigs with exec plugins and the like) is a file of its own, imported only then
// (src/kube/kubeconfig.ts, through the launcher's import(), which resolves from dist/).
const CLIENT_NODE_CONFIG = '@kubernetes/client-node/dist/config.js';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning' };

/** Builds dist/: kc.cjs (the CLI), client-node-config.cjs, and launch.cjs (what bin/kc.cjs runs). */
export async function buildCli() {
  fs.rmSync(`${root}/dist`, { recursive: true, force: true });
  const [cli] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: { kc: `${root}/cli/main.ts` },
      outfile: `${root}/dist/kc.cjs`,
      format: 'cjs',
      external: ['esbuild'],
      plugins: [directBuiltins],
      metafile: true,
      // kc finds its own files (package.json, the chart SDK) from import.meta.url.
      define: { __KC_BUILD_ID__: JSON.stringify(buildId()), __KC_CLIENT_NODE_CONFIG__: '"./client-node-config.cjs"', 'import.meta.url': '__kcImportMetaUrl' },
      banner: { js: "var __kcImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    }),
    esbuild.build({ ...common, entryPoints: [CLIENT_NODE_CONFIG], outfile: `${root}/dist/client-node-config.cjs`, format: 'cjs' }),
  ]);
  // The launcher loads these before it changes V8's flags (see cli/launch.ts), so it needs the list from this build.
  await esbuild.build({
    ...common,
    entryPoints: { launch: `${root}/cli/launch.ts` },
    outfile: `${root}/dist/launch.cjs`,
    format: 'cjs',
    define: { 'import.meta.url': '__kcImportMetaUrl', __KC_EAGER_BUILTINS__: JSON.stringify(eagerBuiltins(cli.metafile)) },
    banner: { js: "var __kcImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  for (const name of ['kc.cjs', 'client-node-config.cjs', 'launch.cjs']) {
    const file = `${root}/dist/${name}`;
    fs.writeFileSync(file, asciiOutput(fs.readFileSync(file, 'utf8'), `dist/${name}`));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
