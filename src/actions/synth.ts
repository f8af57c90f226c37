import path from 'node:path';
import type { BundleExports } from '../chart/protocol.js';
import { appEntry, buildBundle, loadBundle } from '../bundle/index.js';
import { environmentOf, loadProject } from '../config/load-project.js';
import { locateSource, type Source, type Target } from '../config/locate.js';
import { loadChart } from '../sandbox/index.js';
import type { KcContext } from '../context.js';
import { KcError, internalError } from '../errors/index.js';
import { runBundle, toYamlStream, type SynthRelease } from '../synth/index.js';
import { applyEnvYields } from '../synth/env-yields.js';
import { lazyWorker, type LazyWorker } from '../synth/lazy-worker.js';
import { checkModeFlags } from './mode-flags.js';
import { checkLayerKeys, checkSetFiles, fileLayers, readFlagFile, releasesNamedBy, setLayer, type SetFlag, type ValuesLayer } from '../values/index.js';
import { parseValuesText } from '../values/load-layers.js';
import type { EnvironmentConfig } from '../config/define-config.js';
import type { RegistryOptions } from '../oci/options.js';
import { rememberBundle } from '../bundle/preload-hint.js';
import { memoKey, readMemo, trackingReader, writeMemo, type RenderMemo } from './render-memo.js';
import { planDigest } from './release-operation.js';
import { planOf } from './release-options.js';
import { findHelmChart, ociHelmChartAfter, preparedHelm, renderAppHelmReleases } from './helm-synth.js';

/** Options of `kc synth` (and of every command that renders an app or chart). */
export interface SynthOptions {
  /** Project or chart directory (default: the current directory). */
  target?: string;
  env?: string;
  /** Keep only these releases. */
  only?: string[];
  valuesFiles?: string[];
  sets?: SetFlag[];
  /** Release name in chart mode (default: the chart's name). */
  release?: string;
  /** Overrides the environment's namespace. */
  namespace?: string;
  /** Layers below -f/--set (e.g. the previous revision's values for --reuse-values). */
  baseLayers?: ValuesLayer[];
  /** Version range of a repository chart (`repo/chart`); the newest stable version when unset. */
  version?: string;
  /** How to reach an oci:// chart's registry, and the signatures it must carry. */
  registry?: RegistryOptions;
}

/** What was synthesized, releases in dependency order. */
export interface SynthResult {
  mode: Target['kind'];
  /** The project's name (project mode). */
  project?: string;
  /** The project file's environment, when one was chosen. */
  environment?: EnvironmentConfig;
  /** The project folder (project mode). */
  dir?: string;
  env?: string;
  namespace?: string;
  releases: SynthRelease[];
  /** Every release the app defines, before --only (project mode). */
  allReleases?: string[];
}

/** The value layers an environment of the project file defines (its values, then its files). */
export function envLayers(ctx: KcContext, dir: string, configFile: string, envName: string, env: ReturnType<typeof environmentOf>): ValuesLayer[] {
  const layers: ValuesLayer[] = [];
  if (env.values) layers.push({ label: `environment "${envName}" in ${path.basename(configFile)}`, values: env.values });
  for (const file of env.valuesFiles ?? []) {
    const full = path.resolve(dir, file);
    const label = path.relative(ctx.cwd, full);
    const text = readFlagFile(ctx.fs, dir, file, `valuesFiles of environment "${envName}" in ${path.basename(configFile)}`);
    layers.push({ label: `environment "${envName}" file ${label}`, values: parseValuesText(text, label) });
  }
  return layers;
}

function checkReleaseNames(layers: ValuesLayer[], releases: SynthRelease[]): void {
  const known = new Set(releases.map((r) => r.name));
  for (const layer of layers) {
    const unknown = releasesNamedBy(layer).find((name) => !known.has(name));
    if (unknown !== undefined) {
      const source = layer.sets?.find((s) => s.path[0] === unknown)?.source ?? layer.label;
      throw new KcError('RELEASE_UNKNOWN', `${source} names release "${unknown}", which the app does not define`, {
        hint: `in a project, value keys start with a release name; known releases: ${[...known].join(', ') || '(none)'}`,
      });
    }
  }
}

function keepOnly(releases: SynthRelease[], only: string[] | undefined): SynthRelease[] {
  if (!only?.length) return releases;
  const names = new Set(releases.map((r) => r.name));
  const missing = only.find((n) => !names.has(n));
  if (missing) {
    throw new KcError('RELEASE_UNKNOWN', `--only ${missing}: the app defines no such release`, {
      hint: `known releases: ${[...names].join(', ')}`,
    });
  }
  return releases.filter((r) => only.includes(r.name));
}

/** A synthesis whose inputs are known (chart built, values layers read) but whose chart code has not run yet. */
export interface PreparedSynth {
  mode: SynthResult['mode'];
  project?: string;
  environment?: EnvironmentConfig;
  dir?: string;
  env?: string;
  namespace?: string;
  /** What an earlier render of exactly these inputs produced, when remembered and its files are unchanged. */
  memo(): RenderMemo | undefined;
  /** Stores `memo` for these inputs again (a no-op check notes where it found the releases deployed). */
  keepMemo(memo: RenderMemo): void;
  /** Loads the chart or app code without running it (render does so itself when this was not called). */
  load(): void;
  /** Runs the chart or app (local code on a worker thread, stopped by ctx.signal) and remembers what it produced. */
  render(): Promise<SynthResult>;
}

/**
 * Builds (or finds in the cache) a project's app or a chart and reads its value layers, without running it.
 * With `startNow`, the thread that will run local chart code starts at once, to boot while this prepares.
 */
export async function prepareSynth(ctx: KcContext, options: SynthOptions, startNow = false): Promise<PreparedSynth> {
  const target = locateSource(ctx.fs, ctx.cwd, options.target);
  checkModeFlags(target, options.target, options);
  const worker = lazyWorker({ signal: ctx.signal, cwd: ctx.cwd });
  const local = target.kind === 'chart' || target.kind === 'project';
  if (!startNow || !local) return prepareWith(ctx, options, target, worker, false);
  worker.start();
  try {
    return await prepareWith(ctx, options, target, worker, true);
  } catch (err) {
    worker.close();
    throw err;
  }
}

async function prepareWith(
  ctx: KcContext,
  options: SynthOptions,
  target: Source,
  worker: LazyWorker,
  early: boolean,
): Promise<PreparedSynth> {
  const sets = setLayer(options.sets ?? []);
  const userLayers = [...(options.baseLayers ?? []), ...fileLayers(ctx.fs, ctx.cwd, options.valuesFiles ?? [], ctx.readStdin), sets];
  userLayers.forEach(checkLayerKeys);
  checkSetFiles(ctx.fs, ctx.cwd, sets);
  const reader = trackingReader((file) => ctx.fs.readText(path.resolve(ctx.cwd, file)), ctx.cwd);

  if (target.kind !== 'project') {
    // A Helm chart is rendered by helm; kc merges its values and manages the release.
    const helmInput = { release: options.release, namespace: options.namespace, layers: userLayers, readText: reader.readText };
    const helm = await findHelmChart(ctx, target, options.version, options.registry);
    if (helm) return preparedHelm(ctx, helm, helmInput);
    if (target.kind === 'helm') throw internalError('a Helm chart directory was not read as one');
    // A chart directory runs on a worker thread; a packaged chart (.tgz, URL, repo/chart) only in the sandbox.
    const chart = await loadChart({ ...ctx, registry: options.registry }, target, options.version).catch(async (err) =>
      preparedHelm(ctx, await ociHelmChartAfter(err, ctx, target, options.version, options.registry), helmInput),
    );
    if ('render' in chart) return chart;
    const local = !chart.artifact;
    if (local && early) worker.load(chart.loaded.bundle);
    if (local && target.kind === 'chart') rememberBundle(ctx.cacheDir, target.dir, chart.loaded.bundle);
    const release = options.release ?? chart.name;
    const key = memoKey({ mode: 'chart', source: chart.artifact?.digest ?? chart.loaded.bundle.digest, release, namespace: options.namespace, layers: userLayers });
    return {
      mode: 'chart',
      namespace: options.namespace,
      memo: () => readMemo(ctx.cacheDir, key),
      keepMemo: (memo) => writeMemo(ctx.cacheDir, key, memo),
      load: () => (local ? worker.load(chart.loaded.bundle) : void chart.loaded.exports),
      render: async () => {
        const run = local ? worker.runner(chart.loaded.bundle) : undefined;
        const { namespace } = options;
        const { readText } = reader;
        const how = { layers: userLayers, keyedByRelease: false, release, namespace, readText, cwd: ctx.cwd, run };
        const releases = await runBundle(chart.loaded, how).finally(() => worker.close());
        // The release records which artifact it was installed from (set by kc, never by the chart's code).
        if (chart.origin) for (const r of releases) r.chart = { ...r.chart, ...chart.origin };
        remember(ctx, key, releases, reader.files(), {});
        return { mode: 'chart', namespace: options.namespace, releases };
      },
    };
  }

  const project = await loadProject(target.configFile, ctx.cwd, ctx.cacheDir, ctx.signal);
  const env = options.env !== undefined ? environmentOf(project, options.env) : undefined;
  const namespace = options.namespace ?? env?.namespace;
  const ownLayers = env ? envLayers(ctx, project.dir, project.configFile, options.env!, env) : [];
  ownLayers.forEach(checkLayerKeys);
  const layers = [...ownLayers, ...userLayers];
  const appFile = path.resolve(project.dir, project.config.app);
  if (!ctx.fs.exists(appFile)) {
    throw new KcError('FILE_NOT_FOUND', `the app ${project.config.app} named in ${path.basename(project.configFile)} does not exist`, {
      hint: 'set `app` in the project file to the module that default-exports defineApp(...)',
    });
  }
  const label = path.relative(ctx.cwd, project.dir) || '.';
  const built = await buildBundle({ entry: appEntry(appFile), resolveDir: project.dir, label }, ctx.cwd, ctx.cacheDir);
  const key = memoKey({ mode: 'project', source: built.digest, env: options.env, namespace, layers, yields: env?.yieldFields });
  const meta = { mode: 'project' as const, project: project.name, environment: env, dir: project.dir, env: options.env, namespace };
  if (early) worker.load(built);
  rememberBundle(ctx.cacheDir, target.dir, built);
  const loaded = loadBundle<BundleExports>(built); // never evaluated here: the worker runs it
  return {
    ...meta,
    memo: () => readMemo(ctx.cacheDir, key),
    keepMemo: (memo) => writeMemo(ctx.cacheDir, key, memo),
    load: () => worker.load(built),
    render: async () => {
      const run = worker.runner(built);
      const { readText } = reader;
      const how = { env: options.env, namespace, layers, keyedByRelease: true, readText, cwd: ctx.cwd, run };
      const bundled = await runBundle(loaded, how).finally(() => worker.close());
      const helmInput = { dir: project.dir, layers, readText, registry: envRegistry(options.registry, env, project.dir) };
      const releases = await renderAppHelmReleases(ctx, bundled, helmInput);
      checkReleaseNames(layers, releases);
      applyEnvYields(releases, env?.yieldFields, `environment "${options.env}" in ${path.basename(project.configFile)}`);
      // Helm charts' files are not tracked file by file: an app with HelmReleases is rendered every time.
      const memo = bundled.some((r) => r.helm) ? undefined : reader.files();
      remember(ctx, key, releases, memo, { env: options.env, project: project.name });
      return { ...meta, releases: keepOnly(releases, options.only), allReleases: releases.map((r) => r.name) };
    },
  };
}

/** Registry options with the keys the environment requires (`verify.keys`, relative to the project) added. */
function envRegistry(registry: RegistryOptions | undefined, env: EnvironmentConfig | undefined, dir: string) {
  const keys = env?.verify?.keys.map((k) => path.resolve(dir, k)) ?? [];
  if (keys.length === 0) return registry;
  return { ...registry, verifyKeys: [...(registry?.verifyKeys ?? []), ...keys] };
}

/**
 * Sets each release's revision digest and stores them under the render's key, so an unchanged redeploy can skip
 * the render (and the operation need not compute the digest again).
 */
function remember(ctx: KcContext, key: string, releases: SynthRelease[], files: [string, string][] | undefined, extra: { env?: string; project?: string }): void {
  // The namespace only places objects; the digest of a plan does not depend on which namespace it goes to.
  for (const r of releases) r.digest = planDigest(planOf(r, '', extra));
  if (files) writeMemo(ctx.cacheDir, key, { releases: releases.map((r) => ({ name: r.name, digest: r.digest! })), files });
}

/** Bundles and runs a project's app (or a single chart) and returns its releases as ordered plain objects. */
export async function synth(ctx: KcContext, options: SynthOptions): Promise<SynthResult> {
  return (await prepareSynth(ctx, options, true)).render();
}

/** The multi-document YAML of some releases, in order. */
export function releasesToYaml(releases: readonly SynthRelease[]): string {
  return toYamlStream(
    releases.flatMap((r) => r.objects.map((value) => ({ source: `release ${r.name}, chart ${r.chart.name}-${r.chart.version}`, value }))),
  );
}

/** Writes one `<release>.yaml` per release into `dir` and returns the files written. */
export function writeReleaseFiles(ctx: KcContext, releases: readonly SynthRelease[], dir: string): string[] {
  return releases.map((r) => {
    const file = path.resolve(ctx.cwd, dir, `${r.name}.yaml`);
    ctx.fs.writeText(file, releasesToYaml([r]));
    return file;
  });
}
