// Whether the cluster still holds a revision as kc applied it. Cheap first: one LIST per kind and namespace, and
// an object whose only writer is kc's apply for this release is in sync without further proof. An object that
// others wrote to as well (a controller's annotation, an HPA, kubectl edit) is asked of the API server with a
// server-side dry-run apply: in sync when applying it again would change nothing.
import { isKcError } from '../errors/index.js';
import type { ListsAhead } from './list-ahead.js';
import { keepsAppliedFields } from './applied-fields.js';
import { FIELD_MANAGER } from './constants.js';
import { onlyKcApplied } from './live-unchanged.js';
import { notOwnedReason, readLive } from './ownership.js';
import { sortKeys } from '../synth/normalize.js';
import { yieldView } from './yield.js';
import { refKey, refOf, type KubeClient, type KubeObject, type ObjectRef } from './types.js';

/** How an object drifted; callers branch on this, never on the reason's words. */
export type DriftKind = 'missing' | 'deleting' | 'not-owned' | 'edited' | 'conflict';

/** An object of a revision that the cluster no longer holds as the revision says, and how it differs. */
export interface DriftedObject {
  ref: ObjectRef;
  kind: DriftKind;
  /** missing, being deleted, owned by another release, edited, or fields taken by another manager. */
  reason: string;
}

/**
 * The live objects (by refKey) of placed objects, one LIST per kind and namespace (or the LIST `ahead` sent for it):
 * what findDrift judges by. A deploy reads its releases' objects in one go: 50 releases in one namespace cost one
 * LIST per kind, not 50.
 */
export function readLiveOf(
  client: KubeClient,
  placed: readonly KubeObject[],
  ahead?: ListsAhead,
): Promise<Map<string, KubeObject>> {
  return readLive(client, placed.map(refOf), { listAbove: 0, ahead });
}

type Verdict = Omit<DriftedObject, 'ref'> | undefined;

/** What findDrift found: objects in sync (the live object, by refKey) and the drifted ones. */
export interface DriftReport {
  inSync: Map<string, KubeObject>;
  drifted: DriftedObject[];
}

/**
 * The object without what every write changes (resourceVersion, managedFields) and without its status, which
 * controllers keep writing (a scaled Deployment's status moves between the LIST and the dry run): what kc's
 * fields are judged on.
 */
function content(object: KubeObject): string {
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = (object.metadata ?? {}) as Record<string, unknown>;
  const { status: _status, ...rest } = object as Record<string, unknown>;
  return JSON.stringify(sortKeys({ ...rest, metadata })); // a LIST's items and an apply's answer order keys differently
}

async function judge(
  client: KubeClient,
  placed: KubeObject,
  live: KubeObject | undefined,
  release: string,
): Promise<Verdict> {
  if (!live) return { kind: 'missing', reason: 'missing' };
  if (live.metadata?.deletionTimestamp) return { kind: 'deleting', reason: 'being deleted' };
  const notOurs = notOwnedReason(live, release);
  if (notOurs) return { kind: 'not-owned', reason: notOurs };
  const sent = yieldView(placed, live);
  // kc alone wrote it and still owns all it sends (a removed label leaves kc alone too, but no longer owning it).
  if (onlyKcApplied(live, release) && keepsAppliedFields(live, sent)) return undefined;
  try {
    const again = await client.apply(sent, { fieldManager: FIELD_MANAGER, dryRun: true });
    return content(again) === content(live) ? undefined : { kind: 'edited', reason: 'edited outside kc' };
  } catch (err) {
    if (isKcError(err) && err.code === 'FIELD_CONFLICT') {
      return { kind: 'conflict', reason: `fields taken by another manager (${err.details?.join('; ')})` };
    }
    throw err;
  }
}

/**
 * Compares a revision's objects (placed, see placeObject) with the live cluster: one LIST per kind and namespace
 * (or `live`, read for several releases at once by readLiveOf), then a dry-run apply for each object that another
 * writer touched too. Writes nothing.
 */
export async function findDrift(
  client: KubeClient,
  placed: readonly KubeObject[],
  release: string,
  live?: ReadonlyMap<string, KubeObject>,
): Promise<DriftReport> {
  live ??= await readLiveOf(client, placed);
  const report: DriftReport = { inSync: new Map(), drifted: [] };
  const verdicts = await Promise.all(placed.map((o) => judge(client, o, live.get(refKey(refOf(o))), release)));
  verdicts.forEach((verdict, i) => {
    const ref = refOf(placed[i]);
    if (verdict) report.drifted.push({ ref, ...verdict });
    else report.inSync.set(refKey(ref), live.get(refKey(ref))!);
  });
  return report;
}
