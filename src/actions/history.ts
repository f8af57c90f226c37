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

/** Which releases `kc list` shows. */
export interface ListFilter {
  allNamespaces?: boolean;
  /** Also releases uninstalled with --keep-history (hidden by default, as in Helm). */
  all?: boolean;
  /** Only releases uninstalled with --keep-history. */
  uninstalled?: boolean;
}

/** `kc list [-A]`: the latest revision of each release in a namespace, or in all of them; uninstalled ones with --all. */
export async function listReleases(ctx: KcContext, options: ClusterOptions & ListFilter): Promise<RevisionSummary[]> {
  const session = await ctx.connect(options);
  try {
    const releases = await session.store.list(options.allNamespaces ? undefined : options.namespace ?? session.namespace);
    if (options.uninstalled) return releases.filter((r) => r.status === 'uninstalled');
    return options.all ? releases : releases.filter((r) => r.status !== 'uninstalled');
  } finally {
    session.close();
  }
}
