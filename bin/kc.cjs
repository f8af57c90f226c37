#!/usr/bin/env node
// Runs the CLI bundled by `npm run build` (done by `npm ci` through the prepare script); builds it first when
// dist/ is missing, e.g. in a clone where install scripts were skipped. CommonJS on purpose: node starts an ES
// module entry ~17 ms slower.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
(async () => {
  if (!fs.existsSync(path.join(dist, 'launch.cjs')) || !fs.existsSync(path.join(dist, 'kc.cjs'))) {
    // An installed kc ships dist/ and not the build script: a missing dist/ there is a broken install.
    if (!fs.existsSync(path.join(__dirname, '..', 'scripts', 'build.mjs'))) {
      process.stderr.write(`Error: kc is not built: ${dist} is missing\nhint: reinstall kc (npm i -g kc-charts)\n`);
      process.exit(1);
    }
    const { buildCli } = await import('../scripts/build.mjs');
    await buildCli();
  }
  await require(path.join(dist, 'launch.cjs')).launch();
})();
