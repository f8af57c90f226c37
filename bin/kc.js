#!/usr/bin/env node
// Runs the CLI bundled by `npm run build` (done by `npm ci` through the prepare script);
// builds it first when dist/ is missing, e.g. in a clone where install scripts were skipped.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const launcher = new URL('../dist/launch.js', import.meta.url);
if (!existsSync(fileURLToPath(launcher)) || !existsSync(fileURLToPath(new URL('../dist/kc.cjs', import.meta.url)))) {
  const { buildCli } = await import('../scripts/build.mjs');
  await buildCli();
}
const { launch } = await import(launcher.href);
await launch();
