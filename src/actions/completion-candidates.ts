// What shell completion offers from the cluster and the kubeconfig: release names (as `kc list` shows them),
// namespaces and kube contexts. The caller bounds the time (ctx.connect with a deadline signal).
import type { KcContext } from '../context.js';
import { loadMergedKubeconfig } from '../kube/kubeconfig-merge.js';
import { resolveEnvironmentCluster, type EnvironmentSelector } from './env-cluster.js';
import type { ClusterOptions } from './release-options.js';

/** The names of the releases `kc list` shows in the namespace the options select (--env resolved as commands do). */
export async function releaseNames(ctx: KcContext, options: ClusterOptions & EnvironmentSelector): Promise<string[]> {
  const cluster = await resolveEnvironmentCluster(ctx, options);
  const session = await ctx.connect(cluster);
  try {
    // kc list's default: every state but uninstalled, latest revision of each release, sorted by name.
    const rows = await session.store.list(cluster.namespace ?? session.namespace, {});
    return [...new Set(rows.map((r) => r.name))];
  } finally {
    session.close();
  }
}

/** The names of the cluster's namespaces, sorted. */
export async function namespaceNames(ctx: KcContext, options: ClusterOptions & EnvironmentSelector): Promise<string[]> {
  const session = await ctx.connect(await resolveEnvironmentCluster(ctx, options));
  try {
    const list = await session.client.list('v1', 'Namespace', { metadataOnly: true });
    return list
      .map((ns) => ns.metadata?.name ?? '')
      .filter(Boolean)
      .sort();
  } finally {
    session.close();
  }
}

/** The context names of the kubeconfig (--kubeconfig, else $KUBECONFIG, else ~/.kube/config), sorted; no network. */
export function contextNames(kubeconfig: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  return [...loadMergedKubeconfig(kubeconfig, env).contexts.keys()].sort();
}
