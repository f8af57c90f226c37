#!/usr/bin/env node
// Runs the CLI bundled by `npm run build` (done by `npm ci` through the prepare script);
// builds it first when dist/ is missing, e.g. in a clone where install scripts were skipped.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/kc.js', import.meta.url);
if (!existsSync(fileURLToPath(dist))) {
  const { buildCli } = await import('../scripts/build.mjs');
  await buildCli();
}
const { runCli } = await import(dist.href);
await runCli();
