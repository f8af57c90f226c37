import type { KcContext } from '../context.js';
import type { RegistryOptions } from '../oci/options.js';
import { diffPlan, overlayOnLive, type DiffPair, type DiffSummary } from '../diff/index.js';
import { KcError, isKcError } from '../errors/index.js';
import { FIELD_MANAGER, placeObject } from '../kube/apply.js';
import { deleteOwned, type LeftObject } from '../kube/owned-delete.js';
import { immutableChange, type ImmutableChange } from '../kube/replace.js';
import { yieldView } from '../kube/yield.js';
import { staleRefs } from '../operation/inventory.js';
import { redactError, secretStrings } from '../operation/secret-strings.js';
import { refKey, refOf, type KubeObject } from '../kube/types.js';
import type { SetFlag } from '../values/index.js';
import type { ClusterSession } from './cluster-session.js';
import { droppedReleases, environmentCluster } from './deploy.js';
import { uninstallSplit } from './uninstall.js';
import { previousValuesLayer, revisionObjects, withReuseHint, type ClusterOptions } from './release-options.js';
import { synth } from './synth.js';
import { deployedAs } from './revision-choice.js';
import type { SynthRelease } from '../synth/index.js';

/** Options of `kc diff`: a project and environment, or a release and a chart. */
export interface DiffOptions extends ClusterOptions {
  project?: string;
  env?: string;
  release?: string;
  chart?: string;
  only?: string[];
  valuesFiles?: string[];
  sets?: SetFlag[];
  /** RELEASE CHART only: start from the deployed revision's values, as `upgrade --reuse-values` does. */
  reuseValues?: boolean;
  /** Version range of a repository chart (RELEASE CHART only). */
  version?: string;
  /** How to reach an oci:// chart's registry, and the signatures it must carry. */
  registry?: RegistryOptions;
  showSecrets?: boolean;
  /** Preview `upgrade/deploy --force-replace`: objects refused as immutable show as replaced rather than failing. */
  forceReplace?: boolean;
}

/** The changes a deploy or upgrade would make, per release. */
export interface DiffResult {
  /**
   * `removed`: a release the app no longer defines, which the deploy would uninstall (its objects deleted).
   * `drifted`: the deployed revision has this chart and these values, so the changes were made outside kc; an upgrade
   * says "no changes" unless given --reapply.
   */
  releases: {
    release: string; namespace: string; summary: DiffSummary; removed?: boolean; drifted?: number; left?: LeftObject[];
    /** The release's oci:// chart reference now names another digest than the one deployed. */
    chartMoved?: ChartMoved;
  }[];
  hasChanges: boolean;
}

async function desiredAsServerWouldStore(
  session: ClusterSession,
  object: KubeObject,
  release: string,
  namespace: string,
  forceReplace: boolean,
): Promise<{ desired: KubeObject; live?: KubeObject; conflicts?: string[]; immutable?: ImmutableChange }> {
  const full = await placeObject(session.client, object, `${namespace}/${release}`, namespace);
  const live = await session.client.get(refOf(full));
  // Fields the chart yields to other managers are compared as the apply would send them.
  const placed = yieldView(full, live);
  // A dry-run apply returns what the server would store (defaults filled in), so only real changes show. Without
  // force first, as the operation applies: a conflict is reported, and the forced result shows what taking it does.
  const dryRun = (force: boolean) => session.client.apply(placed, { fieldManager: FIELD_MANAGER, dryRun: true, force });
  try {
    try {
      return { desired: await dryRun(false), live };
    } catch (err) {
      if (!isKcError(err) || err.code !== 'FIELD_CONFLICT') throw err;
      return { desired: await dryRun(true), live, conflicts: err.details };
    }
  } catch (err) {
    if (isKcError(err) && ['NOT_FOUND', 'UNKNOWN_KIND'].includes(err.code)) return { desired: placed, live };
    // Refused as immutable: the server says nothing of what it would store, so the chart's object over the live one
    // stands in for it, and the change says whether the deploy replaces the object or fails.
    const judged = { release: `${namespace}/${release}`, forceReplace };
    const immutable = await immutableChange(session.client, placed, err, judged);
    if (immutable) return { desired: overlayOnLive(live, placed), live, immutable };
    throw err;
  }
}

async function diffRelease(
  session: ClusterSession,
  release: SynthRelease,
  namespace: string,
  showSecrets: boolean,
  forceReplace = false,
): Promise<{ summary: DiffSummary; drifted?: number; left: LeftObject[]; chartMoved?: ChartMoved }> {
  const history = await session.store.history(namespace, release.name);
  const deployed = [...history].reverse().find((h) => h.status === 'deployed');
  const chartMoved = movedChart(deployed?.chart, release.chart);
  const previous = deployed ? await session.store.read(namespace, release.name, deployed.revision) : undefined;
  // Only what a revision keeps: hooks and tests run at their events (or with `kc test`) and are removed again.
  const pairs: DiffPair[] = await Promise.all(
    revisionObjects(release).map((o) => desiredAsServerWouldStore(session, o, release.name, namespace, forceReplace)),
  );
  // What the upgrade would prune, judged as it judges: only objects the live cluster says are the release's.
  const stale = staleRefs(pairs.map((p) => refOf(p.desired!)), previous);
  const { deleted, left } = await deleteOwned(session.client, stale, { release: `${namespace}/${release.name}`, dryRun: true });
  for (const ref of deleted) {
    const live = await session.client.get(ref);
    if (live) pairs.push({ live });
  }
  const summary = diffPlan(pairs, { showSecrets });
  // The condition under which an upgrade makes no revision (runOperation's).
  const asDeployed = release.digest ? deployedAs(history, release.digest) : undefined;
  const drifted = asDeployed && summary.hasChanges ? asDeployed.revision : undefined;
  return { summary, drifted, left, ...(chartMoved ? { chartMoved } : {}) };
}

/** An oci:// reference deployed from one digest that now names another (a tag that was pushed again). */
export interface ChartMoved {
  source: string;
  deployed: string;
  now: string;
}

type Origin = { source?: string; digest?: string };

function movedChart(deployed: Origin | undefined, now: Origin): ChartMoved | undefined {
  if (!deployed?.source || !deployed.digest || !now.digest || deployed.source !== now.source) return undefined;
  if (deployed.digest === now.digest) return undefined;
  return { source: now.source, deployed: deployed.digest, now: now.digest };
}

/** What uninstalling a dropped release would delete: the live objects of its latest revision an uninstall does not keep. */
async function droppedReleaseDiff(session: ClusterSession, namespace: string, name: string, showSecrets: boolean): Promise<{ summary: DiffSummary; left: LeftObject[] }> {
  const latest = (await session.store.history(namespace, name)).at(-1)!;
  const record = await session.store.read(namespace, name, latest.revision);
  const { deleted, left } = await deleteOwned(session.client, uninstallSplit(record, false).remove, { release: `${namespace}/${name}`, dryRun: true });
  const live = await Promise.all(deleted.map((ref) => session.client.get(ref)));
  return { summary: diffPlan(live.filter((o): o is KubeObject => o !== undefined).map((o) => ({ live: o })), { showSecrets }), left };
}

/** `kc diff`: what deploy/upgrade would change, computed with server-side dry runs; changes nothing. */
export async function diff(ctx: KcContext, options: DiffOptions): Promise<DiffResult> {
  const packageMode = Boolean(options.release && options.chart);
  if (!packageMode && (options.reuseValues || options.version)) {
    throw new KcError('USAGE', `${options.reuseValues ? '--reuse-values' : '--version'} applies to \`kc diff RELEASE CHART\`, not to a project`, {
      hint: 'name the release and the chart, as for `kc upgrade`',
    });
  }
  // With --reuse-values the values come from the cluster, so the session opens first (package mode names its
  // cluster with flags alone); otherwise after synthesis, which tells a project environment's cluster.
  let session = options.reuseValues ? await ctx.connect({ kubeconfig: options.kubeconfig, context: options.context }) : undefined;
  try {
    const baseLayers = session ? await previousValuesLayer(session, options.namespace ?? session.namespace, options.release!) : [];
    const rendered = await synth(ctx, {
      target: packageMode ? options.chart : options.project,
      env: options.env,
      only: options.only,
      release: options.release,
      namespace: options.namespace,
      valuesFiles: options.valuesFiles,
      sets: options.sets,
      baseLayers,
      version: options.version,
      registry: options.registry,
    }).catch((err: unknown) => {
      throw packageMode && !options.reuseValues ? withReuseHint(err) : err;
    });
    session ??= await ctx.connect(environmentCluster(rendered, options));
    const namespace = rendered.namespace ?? session.namespace;
    const releases: DiffResult['releases'] = [];
    for (const r of rendered.releases) {
      const changes = await diffRelease(session, r, namespace, Boolean(options.showSecrets), options.forceReplace).catch(
        (err: unknown) => {
          throw options.showSecrets ? err : redactError(err, secretStrings(r)); // dry runs quote invalid values
        },
      );
      releases.push({ release: r.name, namespace, ...changes });
    }
    if (rendered.mode === 'project' && !options.only?.length) {
      // As deploy prunes them (it does so unless --only or --no-prune).
      for (const s of await droppedReleases(session, namespace, { project: rendered.project, env: rendered.env, releases: rendered.allReleases ?? [] })) {
        releases.push({ release: s.name, namespace, ...(await droppedReleaseDiff(session, namespace, s.name, Boolean(options.showSecrets))), removed: true });
      }
    }
    return { releases, hasChanges: releases.some((r) => r.removed || r.summary.hasChanges || r.chartMoved) };
  } finally {
    session?.close();
  }
}
