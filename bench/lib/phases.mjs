// Where `kc synth` spends its time: kc's own synth steps (src/bundle, src/config, src/synth) bundled into a small
// ESM script (bench/.out/phases.mjs, bundled as scripts/build.mjs bundles dist/kc.cjs: pure-JS dependencies
// inside, esbuild and client-node external) and timed step by step
// in a fresh process per sample. The CLI layer (commander, the other commands' imports) is measured
// separately as the wall time of `kc --version`. Like kc, the steps load esbuild only on a bundle-cache miss
// (the warm cache the samples use makes "bundle" a cache lookup).
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { median, run } from './measure.mjs';

const ENTRY = `
import fs from 'node:fs';
import path from 'node:path';
import { appEntry, buildBundle, loadBundle } from '../../src/bundle/index.ts';
import { environmentOf, loadProject } from '../../src/config/load-project.ts';
import { runBundle } from '../../src/synth/index.ts';
import { releasesToYaml } from '../../src/actions/synth.ts';

export async function main(projectDir: string, envName: string | undefined, cacheDir: string) {
  const t: Record<string, number> = {};
  let last = performance.now();
  t['node start + import kc synth modules'] = last; // performance.now() counts from process start
  const lap = (name: string) => {
    const now = performance.now();
    t[name] = now - last;
    last = now;
  };
  const cwd = process.cwd();
  const project = await loadProject(path.join(projectDir, 'kc.config.ts'), cwd, cacheDir);
  lap('kc.config.ts: bundle + load');
  const appFile = path.resolve(project.dir, project.config.app);
  const built = await buildBundle({ entry: appEntry(appFile), resolveDir: project.dir, label: 'bench' }, cwd, cacheDir);
  lap('app: bundle (cache lookup; esbuild on a miss)');
  const loaded = loadBundle(built) as any;
  lap('app: require bundle');
  const env = envName ? environmentOf(project, envName) : undefined;
  const layers = env?.values ? [{ label: 'environment ' + envName, values: env.values }] : [];
  const releases = await runBundle(loaded, {
    env: envName, namespace: env?.namespace, layers, keyedByRelease: true, cwd,
    readText: () => { throw new Error('unexpected read'); },
  });
  lap('app: run (cdk8s constructs + kc values/normalize/order)');
  const yaml = releasesToYaml(releases);
  lap('YAML serialization');
  const objects = releases.reduce((n, r) => n + r.objects.length, 0);
  return { phases: t, bundleBytes: fs.statSync(built.file).size, objects, yamlBytes: yaml.length };
}
`;

const RUNNER = `
const [bundle, projectDir, envName, cacheDir] = process.argv.slice(2);
const { main } = await import(bundle);
const out = await main(projectDir, envName || undefined, cacheDir);
process.stdout.write(JSON.stringify(out));
`;

/** Builds bench/.out/phases.mjs (and its runner) from kc's sources; returns the runner's path. */
export async function buildPhaseScript(root) {
  const outDir = path.join(root, 'bench/.out');
  fs.mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: path.join(root, 'bench/.out'), sourcefile: 'phases-entry.ts', loader: 'ts' },
    outfile: path.join(outDir, 'phases.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['esbuild', '@kubernetes/client-node'],
    banner: { js: "import { createRequire as __kcCreateRequire } from 'node:module'; const require = __kcCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const runner = path.join(outDir, 'phases-run.mjs');
  fs.writeFileSync(runner, RUNNER);
  return { runner, bundle: path.join(outDir, 'phases.mjs') };
}

/** Samples the phases `samples` times (fresh process each) and returns the median of each phase. */
export async function measurePhases(script, projectDir, envName, cacheDir, { samples = 3, timeoutMs = 120_000, cwd } = {}) {
  const runs = [];
  for (let i = 0; i < samples + 1; i++) {
    const r = await run(process.execPath, [script.runner, script.bundle, projectDir, envName ?? '', cacheDir], { cwd, timeoutMs, rss: false });
    if (r.code !== 0) throw new Error(`phase script failed: ${r.timedOut ? 'timed out' : `exit ${r.code}`}\n${r.stderr.slice(-2000)}`);
    if (i > 0) runs.push({ ...JSON.parse(r.stdout), wallS: r.wallS }); // the first run is a warm-up
  }
  const names = Object.keys(runs[0].phases);
  const phases = Object.fromEntries(names.map((n) => [n, median(runs.map((x) => x.phases[n])) / 1000]));
  return { phases, wallS: median(runs.map((x) => x.wallS)), bundleBytes: runs[0].bundleBytes, objects: runs[0].objects, yamlBytes: runs[0].yamlBytes };
}
