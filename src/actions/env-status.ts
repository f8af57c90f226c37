import type { KcContext } from '../context.js';
import { markInterrupted } from '../operation/interruption.js';
import type { RevisionSummary } from '../release/index.js';
import { resolveEnvironmentCluster, type EnvironmentSelector } from './env-cluster.js';
import type { ClusterOptions } from './release-options.js';

/** Every release a project's environment holds, as `kc status --env E` shows them. */
export interface EnvironmentStatus {
  env: string;
  project: string;
  namespace: string;
  context: string;
  /** The latest revision of each release this project deployed with this environment, by name. */
  releases: RevisionSummary[];
}

/**
 * `kc status --env E`: the releases of environment E, found in its namespace by the project and environment their
 * records name (releases installed there by hand, or by another project, are not the environment's).
 */
export async function environmentStatus(ctx: KcContext, options: ClusterOptions & EnvironmentSelector & { env: string }): Promise<EnvironmentStatus> {
  const cluster = await resolveEnvironmentCluster(ctx, options);
  const session = await ctx.connect(cluster);
  try {
    const namespace = cluster.namespace ?? session.namespace;
    // Every state, uninstalled (with kept history) included: a status view hides nothing the environment holds.
    const all = await session.store.list(namespace, { all: true });
    const mine = all.filter((s) => s.project === cluster.projectName && s.env === options.env);
    const releases = await markInterrupted(session.client, session.clock, mine);
    return { env: options.env, project: cluster.projectName!, namespace, context: session.context, releases };
  } finally {
    session.close();
  }
}
