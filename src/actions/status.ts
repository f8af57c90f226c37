import type { KcContext } from '../context.js';
import { readinessOf, type Readiness } from '../kube/readiness.js';
import { refKey, type ObjectRef } from '../kube/types.js';
import { MAX_EXPLAINED, whyUnready } from '../kube/why-unready.js';
import type { RevisionSummary } from '../release/index.js';
import { keptRevision } from './release-operation.js';
import type { ClusterOptions } from './release-options.js';

/** A release's latest revision with the live readiness of each of its objects. */
export interface ReleaseStatusReport {
  summary: RevisionSummary;
  /** `why`: what the pods or the object's newest event say about an unready object (the first 20 only). */
  objects: { ref: ObjectRef; exists: boolean; readiness: Readiness; why?: string }[];
  notes?: string;
}

/**
 * `kc status R [--revision N]`: the latest revision (or revision N) and, for each object it deployed, whether it
 * exists and is ready now.
 */
export async function status(ctx: KcContext, options: ClusterOptions & { release: string; revision?: number }): Promise<ReleaseStatusReport> {
  const session = await ctx.connect(options);
  try {
    const namespace = options.namespace ?? session.namespace;
    const history = await session.store.requireHistory(namespace, options.release);
    const summary =
      options.revision === undefined
        ? history.at(-1)!
        : keptRevision(history, options.revision, `release ${options.release} has no revision ${options.revision} (or it was trimmed from history)`);
    const record = await session.store.read(namespace, options.release, summary.revision);
    const live = await Promise.all(record.inventory.map((ref) => session.client.get(ref)));
    // An object of a past revision that the latest one dropped was pruned, not lost.
    const latest = history.at(-1)!;
    const current = latest === summary ? undefined : new Set((await session.store.read(namespace, options.release, latest.revision)).inventory.map(refKey));
    const absence = (ref: ObjectRef) =>
      summary.status === 'uninstalled' ? 'deleted by the uninstall' : current && !current.has(refKey(ref)) ? `not in revision ${latest.revision} (pruned)` : 'missing';
    let explained = 0;
    const objects = await Promise.all(
      record.inventory.map(async (ref, i) => {
        const object = live[i];
        if (!object) return { ref, exists: false, readiness: { ready: false, reason: absence(ref) } };
        const readiness = readinessOf(object);
        const why = !readiness.ready && explained++ < MAX_EXPLAINED ? await whyUnready(session.client, object) : undefined;
        return why ? { ref, exists: true, readiness, why } : { ref, exists: true, readiness };
      }),
    );
    return { summary, objects, notes: record.notes };
  } finally {
    session.close();
  }
}
