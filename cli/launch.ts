// The CLI's entry in dist/launch.cjs (run by bin/kc.cjs): evaluates the bundled CLI (dist/kc.cjs) with V8's code
// cache, one cache per command in kc's cache folder, written after the command's first run so it holds everything
// that run compiled. Node 20 keeps no compiled code between runs; this saves every command ~20 ms of compiling.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { evaluateWithCodeCache } from '../src/bundle/code-cache.js';
import { hintFor, preload } from '../src/bundle/preload-hint.js';
import { ranBefore, rememberRun, runSignature } from '../src/bundle/repeated-runs.js';
import { prestartChartWorker } from '../src/bundle/worker-prestart.js';
import { PROJECT_FILES } from '../src/config/project-files.js';
import { defaultCacheDir } from '../src/dirs.js';

/**
 * Commands that run a chart directory's code: their chart worker boots while the CLI loads (~25 ms sooner ready).
 * Not upgrade (see prestartForChart) or deploy, whose no-op runs skip the chart (src/actions/render-memo.ts) and
 * would pay for a thread they never use.
 */
export const CHART_COMMANDS = new Set(['synth', 'template', 'install', 'diff', 'lint', 'show', 'package']);

/** False when an argument names a packaged chart (.tgz, URL, `repo/chart` that is no path here): a sandbox runs it. */
export function namesNoPackagedChart(args: readonly string[]): boolean {
  const packaged = (a: string) => /\.tgz$|^[a-z]+:\/\//i.test(a) || (a.includes('/') && !fs.existsSync(a));
  return !args.some((a) => !a.startsWith('-') && packaged(a));
}

const isProject = (dir: string) => PROJECT_FILES.some((name) => fs.existsSync(path.join(dir, name)));

/**
 * True when the command evaluates a project file (on a worker thread of its own): deploy, any command given an
 * environment (-e/--env), and a chart command pointed at, or run in, a folder with kc.config.ts.
 */
export function readsProjectFile(command: string, args: readonly string[], cwd = process.cwd()): boolean {
  if (command === 'deploy' || args.some((a) => /^(-e|--env)(=|$)/.test(a) || /^-e./.test(a))) return true;
  if (!CHART_COMMANDS.has(command)) return false;
  const paths = args
    .filter((a) => !a.startsWith('-'))
    .map((a) => path.resolve(cwd, a))
    .filter((p) => fs.existsSync(p));
  return (paths.length ? paths : [cwd]).some(isProject);
}

/**
 * Starts the chart worker of a command that renders a chart directory, loading the bundle the folder used last. An
 * upgrade gets one too, unless an install or upgrade with the same bundle, folder and arguments succeeded before:
 * that upgrade is most likely a no-op the render memo answers, and a thread booting beside it took ~30 ms from its
 * median here (an upgrade that renders is ~90 ms sooner done with it). A successful install or upgrade (not a dry
 * run) is remembered as the process exits. Returns whether a worker was started.
 */
export function prestartForChart(command: string, args: readonly string[], cwd: string, cacheDir: string): boolean {
  const bundle = hintFor(args, cwd, cacheDir);
  const signature = bundle && runSignature(bundle.digest, cwd, args);
  const dryRun = args.some((a) => a.startsWith('--dry-run')); // renders every time: never a memo's no-op
  if (signature && !dryRun && (command === 'install' || command === 'upgrade')) {
    process.once('exit', (code) => code === 0 && rememberRun(cacheDir, signature));
  }
  if (command === 'upgrade' && signature && ranBefore(cacheDir, signature)) return false;
  const worker = prestartChartWorker();
  if (bundle) preload(worker, bundle);
  return true;
}

/** Commands that talk to a cluster: short runs that mostly wait on the API server. */
export const CLUSTER_COMMANDS = new Set([
  'install',
  'upgrade',
  'deploy',
  'rollback',
  'uninstall',
  'diff',
  'status',
  'history',
  'list',
  'get',
  'test',
]);

// V8 optimizes a function once it has run ~66 KB of bytecode, on background threads. In a cluster command that work
// rarely pays off before the process ends, and on a machine that also runs the cluster (kind, minikube, the local
// control plane) it takes CPU from the API server: a 500-object install used ~12% less CPU with 8x the budget.
// CPU-bound commands (synth of thousands of objects) keep V8's default, where optimizing pays.
const CLUSTER_INTERRUPT_BUDGET = 8 * 67_584;

// Set by scripts/build.mjs: the builtins dist/kc.cjs requires as it starts (undefined when running the sources).
declare const __KC_EAGER_BUILTINS__: string[] | undefined;
const EAGER_BUILTINS: readonly string[] = typeof __KC_EAGER_BUILTINS__ === 'undefined' ? [] : __KC_EAGER_BUILTINS__;

/*
 * Changes V8's flags for a cluster command, after loading the builtins the CLI needs at start: a changed flag makes V8
 * reject the code cache Node ships for its own modules, so a builtin loaded later is compiled from source (http2 with
 * tls and crypto took ~30 ms instead of ~13 here; a no-op upgrade's median went from 0.21 s to 0.17 s).
 */
function tuneForClusterCommand(): void {
  const load = createRequire(import.meta.url);
  for (const name of EAGER_BUILTINS) load(name);
  v8.setFlagsFromString(`--interrupt-budget=${CLUSTER_INTERRUPT_BUDGET}`);
}

/** Runs the CLI bundled beside this file. */
export async function launch(): Promise<void> {
  const dist = path.dirname(fileURLToPath(import.meta.url));
  const command = /^[a-z][a-z-]{0,30}$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
  const args = process.argv.slice(3);
  const projectWorker = readsProjectFile(command, args);
  // Before any of the CLI is compiled; the code cache is per command, so its V8 flags always match. Not when a
  // project file is read: a worker thread boots in ~50 ms of CPU with the code cache Node ships for its builtins and
  // in ~110 ms once a flag changed, and that worker is on the critical path (a no-op deploy of 50 releases: median
  // 0.53 s with the flag, 0.47 s without). An install's chart worker pays the same, but its 500 applies gain more.
  if (CLUSTER_COMMANDS.has(command) && !projectWorker) tuneForClusterCommand();
  // The chart worker evaluates the bundle this folder used last (when still current) while the CLI loads.
  if ((CHART_COMMANDS.has(command) || command === 'upgrade') && namesNoPackagedChart(args)) {
    prestartForChart(command, args, process.cwd(), defaultCacheDir());
  }
  if (projectWorker) prestartChartWorker();
  // The CLI is evaluated through vm, where Node 20 has no import(): it borrows this module's (src/dynamic-import.ts).
  (globalThis as { __kcImport?: (s: string) => Promise<unknown> }).__kcImport = (specifier) => import(specifier);
  const cli = evaluateWithCodeCache(
    path.join(dist, 'kc.cjs'),
    path.join(defaultCacheDir(), 'code-cache', `cli-${command}.v8cache`),
  );
  if (cli.cacheWanted) process.once('exit', () => cli.saveCache());
  await (cli.exports as { runCli: () => Promise<void> }).runCli();
}
