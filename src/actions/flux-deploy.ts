// `kc deploy --env E` for an environment whose engine is Flux: publish the rendered environment, point Flux at its
// digest (one OCIRepository, one Kustomization per release), wait until Flux has applied it, and record the digest.
import fs from 'node:fs';
import path from 'node:path';
import type { EnvironmentConfig } from '../config/define-config.js';
import type { KcContext } from '../context.js';
import { KcError, isKcError } from '../errors/index.js';
import { fluxNames, fluxObjects } from '../gitops/flux-objects.js';
import type { FluxReleaseState } from '../gitops/flux-state.js';
import { KUSTOMIZATION, waitForFlux } from '../gitops/flux-wait.js';
import { dependencyWaves, gitopsLabels } from '../gitops/names.js';
import { gitopsPublicKeys } from '../gitops/public-keys.js';
import { readGitopsHistory, updateGitopsHistory, type GitopsRevision } from '../gitops/publish-history.js';
import type { PublishedEnvironment } from '../gitops/types.js';
import { FIELD_MANAGER } from '../kube/constants.js';
import { refOf, type KubeObject } from '../kube/types.js';
import type { ClusterSession } from './cluster-session.js';
import { publishRendered, type PublishOptions } from './publish.js';
import type { SynthResult } from './synth.js';

/** How a Flux deploy runs: publishing options, and how long to wait for Flux. */
export interface FluxDeployOptions extends Omit<PublishOptions, 'env' | 'project'> {
  env: string;
  /** Wait until Flux has applied the digest (default true). */
  wait?: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  onFluxProgress?: (states: FluxReleaseState[]) => void;
  /** The revision's description in the history (default "Deploy complete", "Rollback to N"). */
  description?: string;
}

/** How pointFluxAt records the deploy: a new revision always (rollback), or none when the digest is the current one. */
export interface PointOptions extends Pick<
  FluxDeployOptions,
  'wait' | 'timeoutMs' | 'signal' | 'onFluxProgress' | 'description'
> {
  namespace: string;
  /** The digest the deployed revision runs already: converge (apply, prune, wait) without a new revision. */
  reuseCurrent?: boolean;
}

/** What a Flux deploy did. */
export interface FluxDeployResult {
  env: string;
  namespace: string;
  context: string;
  revision: number;
  /** True when the digest was the deployed revision's: Flux's objects converged, no revision added. */
  unchanged: boolean;
  published: PublishedEnvironment;
  /** Each release's state when the deploy ended (all ready unless --no-wait). */
  states: FluxReleaseState[];
  /** Kustomizations of releases the app no longer defines, deleted (Flux prunes their objects). */
  removed: string[];
}

/** The environment's Flux settings, as the deploy and the read commands use them. */
export interface FluxEnvironment {
  project: string;
  env: string;
  dir: string;
  environment: EnvironmentConfig;
}

/** How much longer kc waits than Flux's health-check timeout: Flux then reports why, not kc's deadline. */
export const FLUX_GRACE_MS = 30_000;

/**
 * kustomize-controller's --requeue-dependency default: a Kustomization whose dependency is not ready yet is looked at
 * again only this much later, so each wave after the first may start that late.
 */
export const FLUX_DEPENDENCY_REQUEUE_MS = 30_000;

/** How long kc waits for Flux: each wave's health checks, the dependency requeue between waves, and the grace. */
export function fluxWaitMs(timeoutMs: number, waveCount: number): number {
  return timeoutMs * waveCount + FLUX_DEPENDENCY_REQUEUE_MS * (waveCount - 1) + FLUX_GRACE_MS;
}

/** How many waves of releases Flux applies one after another (1 when none depends on another). */
function waves(published: PublishedEnvironment): number {
  return Math.max(0, ...dependencyWaves(published.releases).values()) + 1;
}

const readOptional = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);

/** The Flux objects pointing at `published`, as kc applies them. */
export function fluxObjectsFor(
  target: FluxEnvironment,
  published: PublishedEnvironment,
  timeoutMs?: number,
): KubeObject[] {
  const publicKeys = gitopsPublicKeys(target.environment, target.dir, readOptional);
  // kc's --timeout becomes each Kustomization's health-check timeout, so Flux gives up when kc would.
  const timeout = timeoutMs ? `${Math.max(1, Math.ceil(timeoutMs / 1000))}s` : undefined;
  return fluxObjects(published, { gitops: target.environment.gitops, publicKeys, ...(timeout ? { timeout } : {}) });
}

/** Refuses when the cluster has no Flux: its kinds are unknown to the API server. */
async function checkFluxInstalled(session: ClusterSession, namespace: string): Promise<void> {
  const known = await session.client.isNamespaced(KUSTOMIZATION.apiVersion, KUSTOMIZATION.kind);
  const source = await session.client.isNamespaced('source.toolkit.fluxcd.io/v1', 'OCIRepository');
  if (known === undefined || source === undefined) {
    throw new KcError(
      'UNKNOWN_KIND',
      `the cluster ${session.context} has no Flux (OCIRepository and Kustomization are unknown kinds)`,
      {
        hint: "install Flux's source-controller and kustomize-controller (flux install), or deploy with engine 'kc'",
      },
    );
  }
  if (!(await session.client.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }))) {
    throw new KcError('NOT_FOUND', `Flux's namespace ${namespace} does not exist in ${session.context}`, {
      hint: 'set gitops.namespace to the namespace Flux runs in (default flux-system)',
    });
  }
}

/** Overwrites only engine objects kc made for this project and environment (their labels say so); others are refused. */
async function applyOwned(session: ClusterSession, target: FluxEnvironment, objects: KubeObject[]): Promise<void> {
  const mine = gitopsLabels(target.project, target.env);
  const toApply: KubeObject[] = [];
  for (const object of objects) {
    const live = await session.client.get(refOf(object));
    // A namespace is shared: one that exists is used as it is (neither relabelled nor refused), a missing one created.
    if (object.kind === 'Namespace' && !object.apiVersion?.includes('/')) {
      if (!live) toApply.push(object);
      continue;
    }
    const labels = (live?.metadata?.labels ?? {}) as Record<string, string>;
    if (live && (labels['kc.dev/project'] !== mine['kc.dev/project'] || labels['kc.dev/env'] !== mine['kc.dev/env'])) {
      const where = [live.metadata?.namespace, live.metadata?.name].filter(Boolean).join('/');
      throw new KcError('RESOURCE_NOT_OWNED', `${object.kind} ${where} exists and is not kc's for this environment`, {
        hint: 'another tool or project made it: rename the project or environment, or remove that object',
      });
    }
    toApply.push(object);
  }
  for (const object of toApply) await session.client.apply(object, { fieldManager: FIELD_MANAGER, force: true });
}

/** Deletes the Kustomizations of this project and environment whose release the app no longer defines. */
async function pruneKustomizations(
  session: ClusterSession,
  target: FluxEnvironment,
  keep: Set<string>,
  namespace: string,
) {
  const labels = gitopsLabels(target.project, target.env);
  const selector = `kc.dev/project=${labels['kc.dev/project']},kc.dev/env=${labels['kc.dev/env']}`;
  const live = await session.client.list(KUSTOMIZATION.apiVersion, KUSTOMIZATION.kind, {
    namespace,
    labelSelector: selector,
  });
  const removed: string[] = [];
  for (const k of live) {
    const name = k.metadata?.name ?? '';
    if (keep.has(name)) continue;
    // Precondition on the uid read: a Kustomization replaced meanwhile is not ours to delete.
    const uid = k.metadata?.uid as string | undefined;
    if (await session.client.delete(refOf(k), uid ? { preconditions: { uid } } : undefined)) removed.push(name);
  }
  return removed;
}

/**
 * Points Flux at `published` and waits; the history records the revision as deployed or failed. With `reuseCurrent`,
 * a digest that the deployed revision already runs adds no revision (a no-op deploy writes no history), but Flux's
 * objects are still applied and waited for, and a failure marks that revision failed.
 */
export async function pointFluxAt(
  session: ClusterSession,
  target: FluxEnvironment,
  published: PublishedEnvironment,
  options: PointOptions,
): Promise<Omit<FluxDeployResult, 'env' | 'namespace' | 'context'>> {
  const names = fluxNames(target.project, target.env, target.environment.gitops?.namespace);
  await checkFluxInstalled(session, names.namespace);
  const history = await readGitopsHistory(session.client, names.namespace, target.project, target.env);
  const current = history.at(-1);
  const unchanged =
    options.reuseCurrent === true && current?.status === 'deployed' && current.published.digest === published.digest;
  const revision = unchanged ? current.revision : (current?.revision ?? 0) + 1;
  const entry = (status: GitopsRevision['status'], description: string): GitopsRevision => ({
    revision,
    status,
    published,
    description,
    updated: session.clock.now().toISOString(),
    deployedBy: session.user,
  });
  const update = (f: (h: GitopsRevision[]) => GitopsRevision[]) =>
    updateGitopsHistory(session.client, names.namespace, target.project, target.env, f);
  if (!unchanged) await update((h) => [...h, entry('pending', 'Deploying')]);
  const finish = (status: GitopsRevision['status'], description: string) =>
    update((h) =>
      h.map((r) => {
        if (r.revision === revision) return entry(status, description);
        return status === 'deployed' && r.status === 'deployed' ? { ...r, status: 'superseded' as const } : r;
      }),
    );
  try {
    await applyOwned(session, target, fluxObjectsFor(target, published, options.timeoutMs));
    const keep = new Set(published.releases.map((r) => names.kustomization(r.name)));
    const removed = await pruneKustomizations(session, target, keep, names.namespace);
    const kustomizations = published.releases.map((r) => ({ release: r.name, name: names.kustomization(r.name) }));
    const wait = { namespace: names.namespace, kustomizations, digest: published.digest };
    const states =
      options.wait === false
        ? []
        : await waitForFlux(session.client, {
            ...wait,
            // Flux runs each release's health checks with this timeout, a release after the ones it depends on: kc waits
            // that long per wave of releases and a little more, so it reports Flux's own reason.
            timeoutMs: fluxWaitMs(options.timeoutMs, waves(published)),
            clock: session.clock,
            signal: options.signal,
            onProgress: options.onFluxProgress,
          });
    if (!unchanged)
      await finish(options.wait === false ? 'pending' : 'deployed', options.description ?? 'Deploy complete');
    return { revision, unchanged, published, states, removed };
  } catch (err) {
    const why = isKcError(err) ? `${err.code}: ${err.message}` : String(err);
    await finish('failed', `Failed: ${why}`).catch(() => undefined);
    throw err;
  }
}

/** `kc deploy --env E` with engine flux, on an environment already rendered. */
export async function deployWithFlux(
  ctx: KcContext,
  session: ClusterSession,
  rendered: SynthResult,
  options: FluxDeployOptions,
): Promise<FluxDeployResult> {
  const environment = rendered.environment!;
  const dir = rendered.dir ?? ctx.cwd;
  const project = rendered.project ?? path.basename(dir);
  const namespace = rendered.namespace ?? session.namespace;
  const published = await publishRendered(ctx, rendered, { ...options, namespace });
  const target = { project, env: options.env, dir, environment };
  const done = await pointFluxAt(session, target, published, { ...options, namespace, reuseCurrent: true });
  return { env: options.env, namespace, context: session.context, ...done };
}
