import type { KcContext } from '../context.js';
import { markInterrupted } from '../operation/interruption.js';
import { nameFilter, type ListQuery, type RevisionSummary } from '../release/index.js';
import type { ClusterOptions } from './release-options.js';

/** `kc history R`: every kept revision, oldest first, from the index alone. */
export async function history(ctx: KcContext, options: ClusterOptions & { release: string; max?: number }): Promise<RevisionSummary[]> {
  const session = await ctx.connect(options);
  try {
    const all = await session.store.requireHistory(options.namespace ?? session.namespace, options.release);
    return markInterrupted(session.client, session.clock, options.max ? all.slice(-options.max) : all);
  } finally {
    session.close();
  }
}

/** Which releases `kc list` shows: Helm's `helm list` flags, plus -A. */
export interface ListFilter extends ListQuery {
  allNamespaces?: boolean;
}

/**
 * `kc list [-A]`: the latest revision of each release in a namespace, or in all of them. By default every state but
 * uninstalled (unlike Helm, pending releases show too: a stuck release should be seen); state flags, --all, --filter,
 * sorting and paging as in Helm. A bad --filter fails before the cluster is contacted.
 */
export async function listReleases(ctx: KcContext, options: ClusterOptions & ListFilter): Promise<RevisionSummary[]> {
  nameFilter(options);
  const session = await ctx.connect(options);
  try {
    const namespace = options.allNamespaces ? undefined : options.namespace ?? session.namespace;
    return await markInterrupted(session.client, session.clock, await session.store.list(namespace, options));
  } finally {
    session.close();
  }
}
