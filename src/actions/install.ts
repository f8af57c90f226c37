import { redactError, secretStrings } from '../operation/secret-strings.js';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import type { KubeObject } from '../kube/types.js';
import type { RegistryOptions } from '../oci/options.js';
import type { SynthRelease } from '../synth/index.js';
import type { SetFlag } from '../values/index.js';
import { runOperation, type OperationOptions, type OperationResult } from './release-operation.js';
import { checkReleaseName } from '../release/name.js';
import { ensureNamespace, planOf, previousValuesLayer, withReuseHint, type ClusterOptions } from './release-options.js';
import { letIoProceed, startEarly } from './operation-start.js';
import { prepareSynth } from './synth.js';
import { noteInMemo, unchangedReleases, withNoted } from './unchanged.js';
import { applyStaged } from '../kube/apply.js';
import { generatedReleaseName } from '../release/generate-name.js';
import { isCrd } from '../operation/skip-crds.js';
import type { DependencyUpdateResult } from './dependency.js';

/** Options of `kc install` and `kc upgrade`. */
export interface InstallOptions extends ClusterOptions, OperationOptions {
  /** The release's name; absent with generateName. */
  release?: string;
  /** install only (Helm's --generate-name): name the release `<chart>-<unix seconds>` (release/generate-name.ts). */
  generateName?: boolean;
  /** Run `kc dependency update` first when the chart directory's lock is missing or stale (dependency-refresh.ts). */
  dependencyUpdate?: boolean;
  /** Chart directory, .tgz artifact, http(s) URL or repo/chart. */
  chart: string;
  /** Version range for a repository chart (default: the newest stable). */
  version?: string;
  valuesFiles?: string[];
  sets?: SetFlag[];
  /** upgrade only: start from the previous revision's user values. */
  reuseValues?: boolean;
  /** upgrade only: install when the release does not exist. */
  install?: boolean;
  /** How to reach an oci:// chart's registry, and the signatures it must carry. */
  registry?: RegistryOptions;
  /** Render (client) or validate with the API server (server) without touching the release. */
  dryRun?: 'client' | 'server';
}

/** Result of an install/upgrade, or the rendered objects of a dry run. */
export interface InstallResult {
  /** The release's name (generated with --generate-name). */
  release: string;
  /** What --dependency-update did, when the lock needed it. */
  dependencies?: DependencyUpdateResult;
  operation?: OperationResult;
  dryRun?: { objects: KubeObject[]; namespace: string; release: SynthRelease };
}

/** The release name: given, or generated from the chart argument and ctx's clock with --generate-name. */
export function releaseNameOf(ctx: KcContext, options: InstallOptions, mode: 'install' | 'upgrade'): string {
  if (options.generateName) {
    if (mode !== 'install') {
      throw new KcError('USAGE', '--generate-name names a new release: it goes with install only', {
        hint: 'name the release to upgrade',
      });
    }
    if (options.release !== undefined) {
      throw new KcError('USAGE', `--generate-name and the release name ${options.release} both name the release`, {
        hint: 'give the chart alone with --generate-name (kc install -g CHART), or drop --generate-name',
      });
    }
    return generatedReleaseName(options.chart, ctx.clock.now(), ctx.cwd);
  }
  if (options.release === undefined) {
    const or = mode === 'install' ? ', or kc install --generate-name CHART' : '';
    throw new KcError('USAGE', `kc ${mode} needs a release name and a chart`, { hint: `kc ${mode} NAME CHART${or}` });
  }
  return options.release;
}

async function installOrUpgrade(
  ctx: KcContext,
  given: InstallOptions,
  mode: 'install' | 'upgrade',
): Promise<InstallResult> {
  const name = releaseNameOf(ctx, given, mode);
  const options = { ...given, release: name };
  checkReleaseName(name);
  // Before anything reads the chart: the render must see the updated lock and charts/.
  const dependencies = options.dependencyUpdate ? await updateDependencies(ctx, options) : undefined;
  const done = (result: Omit<InstallResult, 'release' | 'dependencies'>): InstallResult => ({
    release: name,
    dependencies,
    ...result,
  });
  const session = await ctx.connect({ kubeconfig: options.kubeconfig, context: options.context });
  try {
    if (options.dryRun !== 'client') {
      // The TCP and TLS handshakes run while the chart is read.
      session.preconnect();
      await letIoProceed();
    }
    const namespace = options.namespace ?? session.namespace;
    const baseLayers = mode === 'upgrade' && options.reuseValues ? await previousValuesLayer(session, namespace, options.release) : [];
    const prepared = await prepareSynth(ctx, {
      target: options.chart,
      release: options.release,
      namespace,
      version: options.version,
      registry: options.registry,
      valuesFiles: options.valuesFiles,
      sets: options.sets,
      baseLayers,
    });
    if (prepared.mode !== 'chart') {
      throw new KcError('USAGE', `${options.chart} is a project; use \`kc deploy ${options.chart} --env <name>\``, {
        hint: 'install and upgrade take a chart directory such as charts/mysql',
      });
    }
    const memo = mode === 'upgrade' && !options.dryRun && !options.reapply ? prepared.memo() : undefined;
    if (memo) {
      // Chart and values as last rendered: when that is what is deployed, there is nothing to do and nothing to run.
      const unchanged = await unchangedReleases(session, namespace, memo.releases);
      if (unchanged?.noted) prepared.keepMemo(withNoted(memo, unchanged.noted));
      if (unchanged) return done({ operation: unchanged.results[0] });
    }
    // The namespace check, the lock and the history do not depend on the chart: they are sent now and answered while
    // it loads and renders, with the event loop let run between those steps.
    const early = options.dryRun ? undefined : startEarly(session, namespace, options.release, { ...options, create: Boolean(options.createNamespace) });
    let release: SynthRelease;
    try {
      await letIoProceed();
      prepared.load();
      await letIoProceed();
      release = (await prepared.render()).releases[0];
    } catch (err) {
      await early?.cancel();
      throw mode === 'upgrade' && !options.reuseValues ? withReuseHint(err) : err;
    }
    // --skip-crds: a dry run shows what the operation would apply, so without the chart's CRDs.
    if (options.skipCrds) release = { ...release, objects: release.objects.filter((o) => !isCrd(o)) };
    if (options.dryRun === 'client') return done({ dryRun: { objects: release.objects, namespace, release } });
    if (options.dryRun === 'server') {
      const objects = await applyStaged(session.client, release.objects, {
        release: `${namespace}/${options.release}`, namespace, dryRun: true, clock: session.clock, adopt: true,
        forceReplace: options.forceReplace, // judged as the real run would, nothing deleted
      }).catch((err: unknown) => {
        throw redactError(err, secretStrings(release)); // the server quotes invalid values, secret ones too
      });
      return done({ dryRun: { objects, namespace, release } });
    }
    // A first release in the namespace creates its record key: now, while the lock and history are answered, rather
    // than after them (never before the render succeeded: a failed render leaves nothing behind).
    void early!.namespaceExists.then((exists) => exists && session.store.prepareWrite(namespace));
    const plan = planOf(release, namespace);
    const started = await early!.started;
    if (!started) await ensureNamespace(session, namespace, true); // missing, and --create-namespace
    const operation = await runOperation(session, plan, mode === 'install' ? { kind: 'install' } : { kind: 'upgrade', install: Boolean(options.install) }, options, started);
    noteInMemo(prepared, [operation]);
    return done({ operation });
  } finally {
    session.close();
  }
}

// Loaded only with --dependency-update: it brings the repository and registry clients.
async function updateDependencies(ctx: KcContext, options: InstallOptions): Promise<DependencyUpdateResult | undefined> {
  const { updateStaleDependencies } = await import('./dependency-refresh.js');
  return updateStaleDependencies(ctx, options.chart, { registry: options.registry });
}

/** `kc install R CHART`: the first revision of a new release. */
export function install(ctx: KcContext, options: InstallOptions): Promise<InstallResult> {
  return installOrUpgrade(ctx, options, 'install');
}

/** `kc upgrade R CHART`: a new revision from the chart's defaults (or the previous values with --reuse-values). */
export function upgrade(ctx: KcContext, options: InstallOptions): Promise<InstallResult> {
  return installOrUpgrade(ctx, options, 'upgrade');
}
