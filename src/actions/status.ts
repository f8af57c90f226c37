import type { KcContext } from '../context.js';
import { readinessOf, type Readiness } from '../kube/readiness.js';
import type { ObjectRef } from '../kube/types.js';
import type { RevisionSummary } from '../release/index.js';
import type { ClusterOptions } from './release-options.js';

/** A release's latest revision with the live readiness of each of its objects. */
export interface ReleaseStatusReport {
  summary: RevisionSummary;
  objects: { ref: ObjectRef; exists: boolean; readiness: Readiness }[];
  notes?: string;
}

/** `kc status R`: the latest revision and, for each object it deployed, whether it exists and is ready. */
export async function status(ctx: KcContext, options: ClusterOptions & { release: string }): Promise<ReleaseStatusReport> {
  const session = await ctx.connect(options);
  try {
    const namespace = options.namespace ?? session.namespace;
    const history = await session.store.requireHistory(namespace, options.release);
    const summary = history.at(-1)!;
    const record = await session.store.read(namespace, options.release, summary.revision);
    const objects = await Promise.all(
      record.inventory.map(async (ref) => {
        const live = await session.client.get(ref);
        return live
          ? { ref, exists: true, readiness: readinessOf(live) }
          : { ref, exists: false, readiness: { ready: false, reason: 'missing' } };
      }),
    );
    return { summary, objects, notes: record.notes };
  } finally {
    session.close();
  }
}
