// History, status and rollback of an environment Flux delivers: read from the GitOps history and Flux's objects.
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import { fluxNames } from '../gitops/flux-objects.js';
import type { FluxReleaseState } from '../gitops/flux-state.js';
import { fluxStates } from '../gitops/flux-wait.js';
import { readGitopsHistory, type GitopsRevision } from '../gitops/publish-history.js';
import type { ResolvedCluster } from './env-cluster.js';
import { pointFluxAt, type FluxDeployOptions, type FluxDeployResult, type FluxEnvironment } from './flux-deploy.js';

type FluxCluster = ResolvedCluster & { flux: FluxEnvironment };

async function withSession<T>(
  ctx: KcContext,
  cluster: FluxCluster,
  run: (s: Awaited<ReturnType<KcContext['connect']>>) => Promise<T>,
) {
  const session = await ctx.connect({ kubeconfig: cluster.kubeconfig, context: cluster.context });
  try {
    return await run(session);
  } finally {
    session.close();
  }
}

/** `kc history --env E` (engine flux): the digests kc pointed Flux at, oldest first. */
export async function fluxHistory(ctx: KcContext, cluster: FluxCluster): Promise<GitopsRevision[]> {
  const { flux } = cluster;
  const names = fluxNames(flux.project, flux.env, flux.environment.gitops?.namespace);
  return withSession(ctx, cluster, (session) =>
    readGitopsHistory(session.client, names.namespace, flux.project, flux.env),
  );
}

/** What `kc status --env E` (engine flux) shows: the deployed revision and each release's Kustomization. */
export interface FluxStatus {
  env: string;
  revision?: GitopsRevision;
  states: FluxReleaseState[];
}

/** `kc status --env E` (engine flux): each release's state under Flux against the last deployed digest. */
export async function fluxStatus(ctx: KcContext, cluster: FluxCluster): Promise<FluxStatus> {
  const { flux } = cluster;
  const names = fluxNames(flux.project, flux.env, flux.environment.gitops?.namespace);
  return withSession(ctx, cluster, async (session) => {
    const history = await readGitopsHistory(session.client, names.namespace, flux.project, flux.env);
    // The latest revision is what Flux is pointed at, failed or not: its releases are judged against its digest.
    const latest = history.at(-1);
    if (!latest) {
      throw new KcError(
        'RELEASE_NOT_FOUND',
        `environment "${flux.env}" was never deployed through Flux in this cluster`,
        {
          hint: `run \`kc deploy --env ${flux.env}\``,
        },
      );
    }
    const kustomizations = latest.published.releases.map((r) => ({
      release: r.name,
      name: names.kustomization(r.name),
    }));
    const states = await fluxStates(session.client, {
      namespace: names.namespace,
      kustomizations,
      digest: latest.published.digest,
    });
    return { env: flux.env, revision: latest, states };
  });
}

/** `kc rollback --env E N` (engine flux): points Flux back at revision N's digest and waits, as a new revision. */
export async function fluxRollback(
  ctx: KcContext,
  cluster: FluxCluster,
  revision: number | undefined,
  options: Pick<FluxDeployOptions, 'wait' | 'timeoutMs' | 'signal' | 'onFluxProgress'>,
): Promise<FluxDeployResult & { to: number }> {
  const { flux } = cluster;
  const names = fluxNames(flux.project, flux.env, flux.environment.gitops?.namespace);
  return withSession(ctx, cluster, async (session) => {
    const history = await readGitopsHistory(session.client, names.namespace, flux.project, flux.env);
    const deployed = [...history].reverse().find((r) => r.status === 'deployed');
    // Without N: the deployed revision before the current one, as Helm's rollback does.
    const target =
      revision !== undefined
        ? history.find((r) => r.revision === revision)
        : [...history]
            .reverse()
            .find((r) => r.status === 'superseded' && r.revision < (deployed?.revision ?? Infinity));
    if (!target) {
      throw new KcError(
        'REVISION_NOT_FOUND',
        `environment "${flux.env}" has no revision ${revision ?? 'to roll back to'}`,
        {
          hint: `\`kc history --env ${flux.env}\` lists its revisions`,
        },
      );
    }
    const namespace = cluster.namespace ?? flux.environment.namespace ?? session.namespace;
    const done = await pointFluxAt(session, flux, target.published, {
      ...options,
      namespace,
      description: `Rollback to ${target.revision}`,
    });
    return { env: flux.env, namespace, context: session.context, ...done, to: target.revision };
  });
}
