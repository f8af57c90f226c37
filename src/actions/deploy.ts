import path from 'node:path';
import type { FluxDeployResult } from './flux-deploy.js';
import type { FluxReleaseState } from '../gitops/flux-state.js';
import type { RegistryOptions } from '../oci/options.js';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import { applyStaged } from '../kube/apply.js';
import type { KubeObject } from '../kube/types.js';
import type { RevisionSummary } from '../release/index.js';
import { checkReleaseName } from '../release/name.js';
import { duplicateObjects, type SynthRelease } from '../synth/index.js';
import type { SetFlag } from '../values/index.js';
import type { ClusterSession } from './cluster-session.js';
import { runOperation, type OperationOptions, type OperationResult } from './release-operation.js';
import { ensureNamespace, planOf, type ClusterOptions } from './release-options.js';
import { prepareSynth, type PreparedSynth, type SynthResult } from './synth.js';
import { memoSelection, noteInMemo, unchangedReleases, withNoted } from './unchanged.js';
import { runInDependencyOrder } from './deploy-order.js';
import { uninstallWithSession, type UninstallResult } from './uninstall.js';

/** Options of `kc deploy`. */
export interface DeployOptions extends ClusterOptions, OperationOptions {
  project?: string;
  env: string;
  only?: string[];
  valuesFiles?: string[];
  sets?: SetFlag[];
  /** Keep releases the app no longer defines (default: uninstall them). */
  noPrune?: boolean;
  /** Render (client) or validate with server-side dry-run apply (server); no release changes. */
  dryRun?: 'client' | 'server';
  /** Engine flux: registry connection flags for publishing, --sign --key, the key's password, Flux's progress. */
  registry?: RegistryOptions;
  sign?: { key: string };
  password?: () => Promise<string>;
  onFluxProgress?: (states: FluxReleaseState[]) => void;
}

/** What a deploy did: per release, in dependency order, plus releases removed from the app. */
export interface DeployResult {
  env: string;
  namespace: string;
  context: string;
  releases: OperationResult[];
  removed: UninstallResult[];
  /** With --dry-run: each release's objects as they would be applied. */
  dryRun?: { release: string; objects: KubeObject[] }[];
  /** With --dry-run: the synthesized releases (values and where each came from). */
  synthesized?: SynthRelease[];
  /** Engine flux: what was published and how far Flux got. */
  flux?: FluxDeployResult;
}

/** The cluster an environment names; command-line flags win over the project file. */
export function environmentCluster(rendered: Pick<SynthResult, 'environment' | 'dir'>, options: ClusterOptions): { kubeconfig?: string; context?: string } {
  const env = rendered.environment;
  const kubeconfig = options.kubeconfig ?? (env?.kubeconfig && rendered.dir ? path.resolve(rendered.dir, env.kubeconfig) : undefined);
  const context = options.context ?? (env?.context && env.context !== 'current' ? env.context : undefined);
  return { kubeconfig, context };
}

/** Releases a deploy of this project and env made in the namespace that the app no longer defines: deploy uninstalls them. */
export async function droppedReleases(
  session: ClusterSession,
  namespace: string,
  app: { project?: string; env?: string; releases: Iterable<string> },
): Promise<RevisionSummary[]> {
  const defined = new Set(app.releases);
  return (await session.store.list(namespace)).filter((s) => s.project === app.project && s.env === app.env && !defined.has(s.name) && s.status !== 'uninstalled');
}

async function pruneRemovedReleases(session: ClusterSession, rendered: SynthResult, namespace: string, options: DeployOptions): Promise<UninstallResult[]> {
  const mine = await droppedReleases(session, namespace, { project: rendered.project, env: rendered.env, releases: rendered.allReleases ?? [] });
  const removed: UninstallResult[] = [];
  for (const s of mine) removed.push(await uninstallWithSession(session, { release: s.name, namespace, keepHistory: false, waitForLockMs: options.waitForLockMs, timeoutMs: options.timeoutMs, signal: options.signal }));
  return removed;
}

/**
 * Refuses a release name outside Helm's rule among those the app defines (the ids of its charts), before any is
 * read from or sent to the cluster: names from the last render's memo, or from the render itself.
 */
function checkAppReleaseNames(names: readonly string[], prepared: Pick<PreparedSynth, 'dir'>): void {
  const app = prepared.dir ? path.basename(prepared.dir) : '.';
  const hint =
    'a release is named by the id of its chart in the app (`new MySqlChart(app, \'my-mysql\', …)`): rename it there ' +
    'and where kc.config.ts keys values by it, to lowercase letters, digits and "-", at most 53 characters';
  for (const name of names) checkReleaseName(name, { source: `a chart id in the app of project ${app}`, hint });
}

/**
 * The results of a deploy that has nothing to do, known without running the app: every selected release's
 * remembered render is what is deployed, and (when pruning) no release of this project and env was dropped.
 */
async function unchangedDeploy(session: ClusterSession, prepared: PreparedSynth, namespace: string, options: DeployOptions): Promise<OperationResult[] | undefined> {
  const memo = options.reapply ? undefined : prepared.memo();
  const selected = memo && memoSelection(memo, options.only);
  if (!memo || !selected) return undefined;
  checkAppReleaseNames(memo.releases.map((r) => r.name), prepared);
  const pruning = !options.noPrune && !options.only?.length;
  // Both reads at once: the release index LIST for dropped releases need not wait for the drift check.
  const [unchanged, dropped] = await Promise.all([
    unchangedReleases(session, namespace, selected),
    pruning
      ? droppedReleases(session, namespace, {
          project: prepared.project,
          env: prepared.env,
          releases: memo.releases.map((r) => r.name),
        })
      : [],
  ]);
  if (unchanged?.noted) prepared.keepMemo(withNoted(memo, unchanged.noted));
  return unchanged && dropped.length === 0 ? unchanged.results : undefined;
}

/**
 * Refuses an object that two releases define: each would claim it, and as independent releases deploy at the same
 * time neither would be refused by the other's ownership. Checked before anything is applied.
 */
function refuseSharedObjects(releases: readonly SynthRelease[]): void {
  const shared = duplicateObjects(releases.flatMap((r) => r.objects.map((object) => ({ release: r.name, object })))).filter((d) => d.first.release !== d.again.release);
  if (shared.length === 0) return;
  throw new KcError('CHART_INVALID', `${shared.length} object(s) are defined by two releases of the app; one would overwrite the other`, {
    details: shared.map(({ first, again }) => `${again.object.kind}/${again.object.metadata?.name ?? '?'}: in releases ${first.release} and ${again.release}`),
    hint: 'give one of them another name (kind, namespace and name must be unique); `kc lint` lists them too',
  });
}

/** Engine flux: publish and point Flux at the digest (a server dry run and --only do not apply to it). */
async function deployFlux(ctx: KcContext, session: ClusterSession, prepared: PreparedSynth, options: DeployOptions): Promise<DeployResult> {
  if (options.dryRun || options.only?.length) {
    throw new KcError('USAGE', `${options.dryRun ? '--dry-run=server' : '--only'} does not apply to environment "${options.env}", which Flux delivers`, {
      hint: 'Flux applies every release of the published environment; `kc diff` and `kc publish` show what changes',
    });
  }
  const rendered = await prepared.render();
  checkAppReleaseNames(rendered.allReleases ?? [], prepared);
  const { deployWithFlux } = await import('./flux-deploy.js');
  const flux = await deployWithFlux(ctx, session, rendered, {
    env: options.env,
    wait: options.wait,
    timeoutMs: options.timeoutMs ?? 300_000,
    signal: options.signal,
    registry: options.registry,
    sign: options.sign,
    password: options.password,
    onFluxProgress: options.onFluxProgress,
  });
  return { env: options.env, namespace: flux.namespace, context: session.context, releases: [], removed: [], flux };
}

/** `kc deploy PROJECT --env E`: installs or upgrades every release of the app, dependencies first. */
export async function deploy(ctx: KcContext, options: DeployOptions): Promise<DeployResult> {
  const prepared = await prepareSynth(ctx, {
    target: options.project, env: options.env, only: options.only, valuesFiles: options.valuesFiles, sets: options.sets,
    namespace: options.namespace, registry: options.registry,
  });
  if (prepared.mode !== 'project') {
    throw new KcError('USAGE', `${options.project ?? '.'} is a chart, not a project`, { hint: 'deploy takes a project with kc.config.ts; for a chart use `kc install NAME CHART`' });
  }
  if (options.dryRun === 'client') {
    const rendered = await prepared.render();
    checkAppReleaseNames(rendered.allReleases ?? [], prepared);
    const namespace = rendered.namespace ?? options.namespace ?? '';
    return { env: options.env, namespace, context: '(not contacted)', releases: [], removed: [], dryRun: rendered.releases.map((r) => ({ release: r.name, objects: r.objects })), synthesized: rendered.releases };
  }
  const session = await ctx.connect(environmentCluster(prepared, options));
  try {
    const namespace = prepared.namespace ?? session.namespace;
    if (prepared.environment?.engine === 'flux') return await deployFlux(ctx, session, prepared, options);
    if (!options.dryRun) {
      const unchanged = await unchangedDeploy(session, prepared, namespace, options);
      if (unchanged) return { env: options.env, namespace, context: session.context, releases: unchanged, removed: [] };
    }
    const rendered = await prepared.render();
    checkAppReleaseNames(rendered.allReleases ?? [], prepared);
    if (options.dryRun === 'server') {
      const dryRun = [];
      for (const r of rendered.releases) {
        const release = `${namespace}/${r.name}`;
        const how = { release, namespace, adopt: true, dryRun: true, forceReplace: options.forceReplace, clock: session.clock };
        const objects = await applyStaged(session.client, r.objects, how);
        dryRun.push({ release: r.name, objects });
      }
      return { env: options.env, namespace, context: session.context, releases: [], removed: [], dryRun, synthesized: rendered.releases };
    }
    refuseSharedObjects(rendered.releases);
    // The environment declares its namespace, so deploying there creates it.
    await ensureNamespace(session, namespace, Boolean(rendered.namespace) || Boolean(options.createNamespace));
    // Each operation waits for readiness, so a release starts once the ones it depends on are ready.
    const results = await runInDependencyOrder(rendered.releases, (release) =>
      runOperation(session, planOf(release, namespace, { env: rendered.env, project: rendered.project }), { kind: 'upgrade', install: true }, options),
    );
    noteInMemo(prepared, results);
    const removed = options.noPrune || options.only?.length ? [] : await pruneRemovedReleases(session, rendered, namespace, options);
    return { env: options.env, namespace, context: session.context, releases: results, removed };
  } finally {
    session.close();
  }
}
