import type { KcContext } from '../context.js';
import { markInterrupted } from '../operation/interruption.js';
import { findDrift, type DriftedObject } from '../kube/drift.js';
import { readLive } from '../kube/ownership.js';
import { readinessOf, type Readiness } from '../kube/readiness.js';
import { refKey, type KubeClient, type KubeObject, type ObjectRef } from '../kube/types.js';
import { MAX_EXPLAINED, whyUnready } from '../kube/why-unready.js';
import type { ReleaseRecord, RevisionSummary } from '../release/index.js';
import { keptRevision } from './revision-choice.js';
import type { ClusterOptions } from './release-options.js';
import { placedRevision } from './unchanged.js';

/** Whether a live object is as its revision applied it (findDrift's judgement, the one deploys converge by). */
export type SyncState = 'synced' | 'missing' | 'drifted';

/** One object of the revision, as the cluster holds it now. */
export interface ObjectStatus {
  ref: ObjectRef;
  exists: boolean;
  readiness: Readiness;
  /** What the pods or the object's newest event say about an unready object (the first 20 only). */
  why?: string;
  /** Absent when drift is not judged (a past or uninstalled revision, see ReleaseStatusReport.verdict). */
  sync?: SyncState;
  /** How and why it is missing or drifted, in findDrift's terms, e.g. kind 'edited', reason 'edited outside kc'. */
  drift?: Pick<DriftedObject, 'kind' | 'reason'>;
}

/**
 * What `kc status` makes of a release: 'drifted' when any object is missing or differs from the revision,
 * 'not-ready' when all match but some are not ready, 'ready' when all exist, match and are ready.
 */
export type StatusVerdict = 'ready' | 'not-ready' | 'drifted';

/** A release's latest revision (or the one asked for) with the live state of each of its objects. */
export interface ReleaseStatusReport {
  summary: RevisionSummary;
  objects: ObjectStatus[];
  /**
   * Only for the revision the cluster is meant to hold (the latest, unless uninstalled): a past revision's objects
   * were changed or pruned by later ones, and an uninstalled one's were deleted on purpose.
   */
  verdict?: StatusVerdict;
  notes?: string;
}

/** The verdict over judged objects: drift first (a deploy of the same revision repairs it), then readiness. */
export function statusVerdict(objects: readonly ObjectStatus[]): StatusVerdict {
  if (objects.some((o) => o.sync !== undefined && o.sync !== 'synced')) return 'drifted';
  return objects.every((o) => o.readiness.ready) ? 'ready' : 'not-ready';
}

/** Objects with the live object of each that exists (by refKey), for explaining the unready ones. */
interface Observed {
  objects: ObjectStatus[];
  live: Map<string, KubeObject>;
}

function present(ref: ObjectRef, live: KubeObject, more: Partial<ObjectStatus> = {}): ObjectStatus {
  return { ref, exists: true, readiness: readinessOf(live), ...more };
}

function absent(ref: ObjectRef, reason: string, more: Partial<ObjectStatus> = {}): ObjectStatus {
  return { ref, exists: false, readiness: { ready: false, reason }, ...more };
}

/** The revision's objects judged as deploys judge them: findDrift over the objects as they were sent. */
async function judged(client: KubeClient, record: ReleaseRecord, placed: KubeObject[]): Promise<Observed> {
  const { inSync, drifted } = await findDrift(client, placed, `${record.namespace}/${record.name}`);
  const reasons = new Map(drifted.map((d) => [refKey(d.ref), { kind: d.kind, reason: d.reason }]));
  // findDrift hands back only the in-sync objects; the few drifted ones that exist are read again for readiness.
  const others = drifted.filter((d) => d.kind !== 'missing').map((d) => d.ref);
  const live = new Map([...inSync, ...(await readLive(client, others))]);
  const objects = record.inventory.map((ref): ObjectStatus => {
    const object = live.get(refKey(ref));
    const drift = reasons.get(refKey(ref));
    // Gone since findDrift's LIST (a drifted object deleted meanwhile) is missing too.
    if (!object) return absent(ref, 'missing', { sync: 'missing', drift: { kind: 'missing', reason: 'missing' } });
    return drift ? present(ref, object, { sync: 'drifted', drift }) : present(ref, object, { sync: 'synced' });
  });
  return { objects, live };
}

/** A past or uninstalled revision's objects: whether each exists and is ready, or why it is absent. */
async function existing(
  client: KubeClient,
  record: ReleaseRecord,
  absence: (ref: ObjectRef) => string,
): Promise<Observed> {
  const live = await readLive(client, record.inventory);
  const objects = record.inventory.map((ref) => {
    const object = live.get(refKey(ref));
    return object ? present(ref, object) : absent(ref, absence(ref));
  });
  return { objects, live };
}

/** Adds what the pods or events say to the first unready objects that exist (each costs a LIST). */
async function explain(client: KubeClient, { objects, live }: Observed): Promise<void> {
  const unready = objects.filter((o) => o.exists && !o.readiness.ready).slice(0, MAX_EXPLAINED);
  await Promise.all(
    unready.map(async (o) => {
      const why = await whyUnready(client, live.get(refKey(o.ref))!);
      if (why) o.why = why;
    }),
  );
}

/**
 * `kc status R [--revision N]`: the latest revision (or revision N) and, for each object it deployed, whether it
 * exists, matches the revision (the latest only) and is ready now, with the verdict the CLI exits by.
 */
export async function status(
  ctx: KcContext,
  options: ClusterOptions & { release: string; revision?: number },
): Promise<ReleaseStatusReport> {
  const session = await ctx.connect(options);
  try {
    const namespace = options.namespace ?? session.namespace;
    const { release, revision } = options;
    const history = await session.store.requireHistory(namespace, release);
    const latest = history.at(-1)!;
    const missing = `release ${release} has no revision ${revision} (or it was trimmed from history)`;
    const summary = revision === undefined ? latest : keptRevision(history, revision, missing);
    const record = await session.store.read(namespace, release, summary.revision);
    // Drift is judged against what the cluster is meant to hold; a record whose lists do not pair cannot be judged.
    const placed = summary === latest && summary.status !== 'uninstalled' ? placedRevision(record) : undefined;
    let observed: Observed;
    if (placed) {
      observed = await judged(session.client, record, placed);
    } else {
      // An object of a past revision that the latest one dropped was pruned, not lost.
      const now = summary === latest ? undefined : await session.store.read(namespace, release, latest.revision);
      const current = now && new Set(now.inventory.map(refKey));
      const absence = (ref: ObjectRef) =>
        summary.status === 'uninstalled'
          ? 'deleted by the uninstall'
          : current && !current.has(refKey(ref))
            ? `not in revision ${latest.revision} (pruned)`
            : 'missing';
      observed = await existing(session.client, record, absence);
    }
    await explain(session.client, observed);
    const { objects } = observed;
    const [shown] = await markInterrupted(session.client, session.clock, [summary]);
    return { summary: shown, objects, verdict: placed ? statusVerdict(objects) : undefined, notes: record.notes };
  } finally {
    session.close();
  }
}
