import type { KcContext } from '../context.js';
import type { RevisionSummary } from '../release/index.js';
import type { ClusterOptions } from './release-options.js';

/** `kc history R`: every kept revision, oldest first, from the index alone. */
export async function history(ctx: KcContext, options: ClusterOptions & { release: string; max?: number }): Promise<RevisionSummary[]> {
  const session = await ctx.connect(options);
  try {
    const all = await session.store.requireHistory(options.namespace ?? session.namespace, options.release);
    return options.max ? all.slice(-options.max) : all;
  } finally {
    session.close();
  }
}

/** `kc list [-A]`: the latest revision of each release in a namespace, or in all of them. */
export async function listReleases(ctx: KcContext, options: ClusterOptions & { allNamespaces?: boolean }): Promise<RevisionSummary[]> {
  const session = await ctx.connect(options);
  try {
    return await session.store.list(options.allNamespaces ? undefined : options.namespace ?? session.namespace);
  } finally {
    session.close();
  }
}
