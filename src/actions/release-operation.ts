import crypto from 'node:crypto';
import type { ChartInfo } from '../chart/protocol.js';
import { KcError, isKcError } from '../errors/index.js';
import { applyStaged, checkOwnership, type StagedApplyOptions } from '../kube/apply.js';
import { findDrift, type DriftedObject, type DriftReport } from '../kube/drift.js';
import { hooksFor } from '../kube/hooks.js';
import { candidatesOf, liveUnchanged, ownershipAndUnchanged } from '../kube/live-unchanged.js';
import { uninterruptible } from '../kube/uninterruptible.js';
import { deleteOwned, describeLeft, type LeftObject } from '../kube/owned-delete.js';
import { notOwnedReason, readLive } from '../kube/ownership.js';
import { describeRef, refKey, refOf, type KubeObject, type ObjectRef } from '../kube/types.js';
import { afterFailure } from '../operation/after-failure.js';
import { deployedAs } from './revision-choice.js';
import { applyOptions, placeAll } from './revision-apply-options.js';
import { absentNow, cleanUpCreated } from '../operation/cleanup-on-fail.js';
import { carryRecordedCrds, withoutCrds } from '../operation/skip-crds.js';
import { mayOwn, staleRefs } from '../operation/inventory.js';
import { redactError, redactStates, secretStrings } from '../operation/secret-strings.js';
import { waitForReady, type ObjectState } from '../kube/wait.js';
import type { ReleaseRecord, ReleaseStatus, RevisionSummary } from '../release/index.js';
import { toYamlStream } from '../synth/index.js';
import type { PathSegment } from '../values/index.js';
import type { ClusterSession } from './cluster-session.js';
import { runHooks, type HookResult } from './hooks.js';
import { fenceSession } from './fenced-session.js';
import { startOperation, type OperationStart } from './operation-start.js';

/** Everything needed to deploy one release: its rendered objects and what they were rendered from. */
export interface ReleasePlan {
  name: string;
  namespace: string;
  chart: ChartInfo;
  env?: string;
  project?: string;
  objects: KubeObject[];
  /** Hook and test objects, run around the operation and by `kc test`. */
  hooks?: KubeObject[];
  values: Record<string, unknown>;
  userValues: Record<string, unknown>;
  secretPaths: PathSegment[][];
  notes?: string;
  /** planDigest of this plan, when already computed (synthesis computes it for the render memo). */
  digest?: string;
}

/** What kind of operation this is. */
export type OperationMode = { kind: 'install' } | { kind: 'upgrade'; install: boolean } | { kind: 'rollback'; to: number };

/** Knobs shared by install, upgrade, deploy and rollback. */
export interface OperationOptions {
  wait: boolean;
  timeoutMs: number;
  atomic: boolean;
  force: boolean;
  adopt: boolean;
  historyMax: number;
  waitForLockMs: number;
  /** Apply even when the chart and values are those deployed (no "no changes"), e.g. to undo changes made outside kc. */
  reapply?: boolean;
  /** Delete and create again the release's objects whose update the API server refuses as immutable (Helm 4's flag). */
  forceReplace?: boolean;
  /** The revision's description once deployed, instead of "Install complete" and the like (Helm's --description). */
  description?: string;
  /** On failure, delete the objects this operation created (see operation/cleanup-on-fail.ts); --atomic does more. */
  cleanupOnFail?: boolean;
  /** Apply none of the chart's CRDs; carry those recorded over unchanged (see operation/skip-crds.ts). */
  skipCrds?: boolean;
  signal?: AbortSignal;
  /** Progress of the readiness wait, for live display. */
  onProgress?: (release: string, states: ObjectState[]) => void;
}

/** The outcome of one operation. */
export interface OperationResult {
  release: string;
  namespace: string;
  revision: number;
  status: ReleaseStatus;
  /** True when the artifact and values were unchanged: no revision was made. */
  noChange: boolean;
  applied: ObjectRef[];
  /** How many of `applied` were not sent: the cluster already held them as this revision has them. */
  unchanged?: number;
  pruned: ObjectRef[];
  /** Objects the release would have pruned but left, because the live object says it is not the release's. */
  left: LeftObject[];
  /** Objects the cluster no longer held as the deployed revision says, put right by this operation. */
  drifted?: DriftedObject[];
  /** Objects deleted and created again because an immutable field changed (--force-replace or the annotation). */
  replaced?: ObjectRef[];
  hooks: HookResult[];
  notes?: string;
  description: string;
  /** The chart of the revision the release is at (`source` and `digest` for a packaged or pulled chart). */
  chart?: ReleaseRecord['chart'];
}

/** The YAML stored as a revision's manifest. */
export function manifestOf(objects: readonly KubeObject[]): string {
  return toYamlStream(objects.map((o) => ({ source: `${o.kind}/${o.metadata?.name}`, value: o })));
}

/** sha256 of what a revision deploys: objects, hooks, values and chart (equal digests: nothing to do). */
export function planDigest(plan: ReleasePlan): string {
  const payload = JSON.stringify({ objects: plan.objects, hooks: plan.hooks ?? [], values: plan.values, chart: [plan.chart.name, plan.chart.version] });
  return crypto.createHash('sha256').update(payload).digest('hex');
}

/** The result of an operation that found nothing to do: `revision` stays deployed. */
export function noChange(release: string, namespace: string, revision: number): OperationResult {
  return { release, namespace, revision, status: 'deployed', noChange: true, applied: [], pruned: [], left: [], hooks: [], description: 'no changes' };
}

const pendingStatus = { install: 'pending-install', upgrade: 'pending-upgrade', rollback: 'pending-rollback' } as const;

function verb(mode: OperationMode, installing: boolean): string {
  if (mode.kind === 'rollback') return `Rollback to ${mode.to}`;
  return installing ? 'Install' : 'Upgrade';
}

/**
 * Runs one install/upgrade/rollback of a release under its lock; never leaves a revision pending. `started`: the
 * lock and history when taken ahead (startEarly); the lock is released at the end either way.
 */
export async function runOperation(
  unfenced: ClusterSession,
  plan: ReleasePlan,
  mode: OperationMode,
  options: OperationOptions,
  started?: OperationStart,
): Promise<OperationResult> {
  const { lock, history: read } = started ?? (await startOperation(unfenced, plan.namespace, plan.name, options));
  const session = fenceSession(unfenced, lock);
  const { store, clock } = session;
  try {
    store.prepareWrite(plan.namespace); // creates the record key, if the namespace has none, while the plan is checked
    const history = await refuseExisting(session, plan, mode, read);
    const latest = history.at(-1);
    const live = latest && latest.status !== 'uninstalled' ? latest : undefined;
    if (mode.kind === 'upgrade' && !mode.install && !live) {
      throw new KcError('RELEASE_NOT_FOUND', `release "${plan.name}" has no deployed revision in namespace ${plan.namespace}`, {
        hint: 'install it first, or pass --install',
      });
    }
    const deployed = [...history].reverse().find((h) => h.status === 'deployed');
    const readPrevious = async () => {
      const previous = deployed ? await store.read(plan.namespace, plan.name, deployed.revision) : undefined;
      // A failed or interrupted revision after the deployed one may have applied objects the deployed one lacks.
      const last = latest && latest !== deployed && live ? await readTolerant(session, latest) : previous;
      return { previous, last };
    };
    // --skip-crds needs the recorded CRDs before anything else: they are part of what this revision records.
    const early = options.skipCrds ? await readPrevious() : undefined;
    const skipped = early && carryRecordedCrds(plan.objects, [early.previous, early.last]);
    const objects = skipped?.objects ?? plan.objects;
    const carried = skipped?.carried ?? new Set<string>();
    const hookObjects = plan.hooks ?? [];
    const digest = skipped ? planDigest({ ...plan, objects }) : (plan.digest ?? planDigest(plan));
    const release = `${plan.namespace}/${plan.name}`;
    const placed = await placeAll(session, objects, release, plan.namespace);
    const sent = placed.filter((o) => !carried.has(refKey(refOf(o)))); // what this operation applies
    // Same chart and values as deployed: nothing to do unless the cluster drifted from the revision (converge).
    const same = mode.kind !== 'rollback' && !options.reapply ? deployedAs(history, digest) : undefined;
    const drift = same ? await findDrift(session.client, sent, release) : undefined;
    if (same && drift?.drifted.length === 0) {
      return { ...noChange(plan.name, plan.namespace, same.revision), notes: plan.notes, chart: plan.chart };
    }
    if (drift && !options.force) refuseTakenFields(drift);
    const { previous, last } = early ?? (await readPrevious());
    const inventory = placed.map(refOf);
    const stale = staleRefs(inventory, last, previous ? [previous] : []);
    // Read before anything is applied: what is absent now and fails to become the release's is this one's to remove.
    const absent = options.cleanupOnFail && !options.atomic ? absentNow(session.client, sent.map(refOf)) : undefined;
    absent?.catch(() => undefined); // awaited before the record is written
    // A release that never deployed (only failed installs) is installed again, on top of what they left.
    const installing = !live || history.every((h) => h.status === 'failed');
    const now = clock.now().toISOString();
    const record: ReleaseRecord = {
      name: plan.name,
      namespace: plan.namespace,
      revision: (latest?.revision ?? 0) + 1,
      status: pendingStatus[installing && mode.kind !== 'rollback' ? 'install' : mode.kind === 'rollback' ? 'rollback' : 'upgrade'],
      chart: plan.chart,
      env: plan.env,
      project: plan.project,
      description: `${verb(mode, installing)} in progress`,
      updated: now,
      digest,
      values: plan.values,
      userValues: plan.userValues,
      secretPaths: plan.secretPaths,
      objects,
      hookObjects,
      inventory,
      stale: options.skipCrds ? withoutCrds(stale) : stale,
      notes: plan.notes,
      // Carried from the deployed revision, as Helm does (its history may be trimmed, or read without superseded ones).
      firstDeployed: previous?.firstDeployed ?? history[0]?.updated ?? now,
      deployedBy: session.user,
    };
    // Who owns the objects can be read while the record is written. Not with CRDs in the release: its custom
    // resources can only be listed once the CRDs exist, so applyStaged then checks stage by stage.
    const checkOwners = !options.adopt && !sent.some((o) => o.kind === 'CustomResourceDefinition');
    const event = mode.kind === 'rollback' ? 'rollback' : installing ? 'install' : 'upgrade';
    // Objects the cluster holds exactly as the deployed revision left them are not sent again. Only when that
    // revision is the latest (a failed one after it may have changed some objects halfway) and no pre-hook runs
    // (it could change objects after they were read).
    const skippable = previous && deployed === latest && !hooksFor(hookObjects, `pre-${event}`).length && !options.force && !options.adopt && !options.reapply;
    const owners = applyOptions(session, record, options);
    // Both from one read of the live objects when both are wanted and drift did not read them already.
    const both = checkOwners && skippable && !drift
      ? ownershipAndUnchanged(session.client, sent, candidatesOf(objects, placed, previous), owners)
      : undefined;
    const ownership = both?.ownership ?? (checkOwners ? checkOwnership(session.client, sent, owners) : undefined);
    ownership?.catch(() => undefined); // awaited below, once the record exists to be marked failed
    const unchanged = !skippable ? undefined : drift ? Promise.resolve(drift.inSync) : both?.unchanged ?? liveUnchanged(session.client, objects, placed, previous, release);
    unchanged?.catch(() => undefined);
    // Requests after an abort run as clean-up: an operation interrupted before its record exists starts nothing.
    options.signal?.throwIfAborted();
    const created = await absent;
    // Sent whole even when a signal comes meanwhile: an aborted create may still land, pending with nobody to end it.
    await uninterruptible(() => store.create(record));
    const tally = { sent: 0 };
    try {
      await ownership;
      const how = { ownershipChecked: ownership !== undefined, unchanged: await unchanged, tally, carried };
      const outcome = await applyRevision(session, record, options, event, how);
      // A signal that came while the last answers arrived still stops the operation: it is not recorded deployed.
      options.signal?.throwIfAborted();
      const description = options.description || describeDone(mode, installing, drift);
      // From here the revision is done: a signal now must not leave the record half-written.
      await uninterruptible(async () => {
        await store.setStatus(record, 'deployed', description, clock.now().toISOString());
        // A superseded revision keeps its own time, as in Helm: history shows when each revision was deployed.
        if (deployed) await store.setStatus(deployed, 'superseded', deployed.description, deployed.updated);
        await store.trim(plan.namespace, plan.name, options.historyMax, history.length + 1);
      });
      const result = { release: plan.name, namespace: plan.namespace, revision: record.revision, status: 'deployed' as const, noChange: false };
      return { ...result, ...outcome, drifted: drift?.drifted, notes: plan.notes, description, chart: plan.chart };
    } catch (caught) {
      const err = redactError(caught, secretStrings(plan)); // before it is stored as the description or printed
      // A first install that reached nothing in the cluster leaves no release behind: running it again just works.
      // Nor does a repair of drift that changed nothing: the deployed revision still says what the cluster holds.
      if (tally.sent === 0 && ((installing && mode.kind !== 'rollback') || drift)) {
        throw await afterFailure(err, `remove revision ${record.revision}`, () => store.remove(record));
      }
      const reason = isKcError(err) ? err.message : String(err);
      let cleaned: string | undefined;
      const thrown = await afterFailure(err, `mark revision ${record.revision} failed`, async () => {
        const failed = `${verb(mode, installing)} failed: ${reason}`;
        await store.setStatus(record, 'failed', failed, clock.now().toISOString());
        if (options.atomic) await undo(session, record, previous, options);
        else if (created) {
          // Marked failed first: if the clean-up fails halfway, the record still says what happened.
          cleaned = await cleanUpCreated(session.client, created, release);
          if (cleaned) await store.setStatus(record, 'failed', `${failed}; ${cleaned}`, clock.now().toISOString());
        }
      });
      throw cleaned && isKcError(thrown) ? withDetail(thrown, cleaned) : thrown;
    }
  } catch (err) {
    throw redactError(err, secretStrings(plan));
  } finally {
    await lock.release();
  }
}

/** `err` with one more detail (what --cleanup-on-fail removed), so the user sees it with the failure. */
function withDetail(err: KcError, detail: string): KcError {
  return new KcError(err.code, err.message, { details: [...err.details, detail], hint: err.hint, cause: err });
}

/**
 * Refuses to repair drift that takes fields back from another manager (kubectl edit, a controller) without
 * --force-conflicts, before anything is written: the owner of those fields decides, not an unchanged deploy.
 */
function refuseTakenFields(drift: DriftReport): void {
  const taken = drift.drifted.filter((d) => d.kind === 'conflict');
  if (taken.length === 0) return;
  const first = `${describeRef(taken[0].ref)} was changed outside kc: ${taken[0].reason}`;
  throw new KcError('FIELD_CONFLICT', taken.length > 1 ? `${first} (and ${taken.length - 1} more object(s))` : first, {
    details: taken.map((d) => `${describeRef(d.ref)}: ${d.reason}`),
    hint: 'pass --force-conflicts to apply the revision\'s values again, or yield those fields (kc.dev/yield-fields)',
  });
}

/**
 * The history an install goes on from: refused with RELEASE_EXISTS when the release exists, except a release that
 * never deployed (failed or interrupted installs), which is installed again, as Helm's --replace would: afresh when
 * nothing of its own is left in the cluster (its records removed), else as the next revision, which prunes what
 * the failed ones applied and the new one lacks.
 */
async function refuseExisting(session: ClusterSession, plan: ReleasePlan, mode: OperationMode, history: RevisionSummary[]): Promise<RevisionSummary[]> {
  const latest = history.at(-1);
  if (mode.kind !== 'install' || !latest || latest.status === 'uninstalled') return history;
  const neverDeployed = history.every((h) => h.status === 'failed');
  if (neverDeployed) {
    if (await ownsAnything(session, await session.store.read(plan.namespace, plan.name, latest.revision))) return history;
    for (const h of history) await session.store.remove(h);
    return [];
  }
  throw new KcError('RELEASE_EXISTS', `release "${plan.name}" already exists in namespace ${plan.namespace} (revision ${latest.revision}, ${latest.status})`, {
    hint: `use \`kc upgrade ${plan.name} ...\` (or \`upgrade --install\`), or choose another release name`,
  });
}

/** True when any object the revision may own is, live, this release's. */
async function ownsAnything(session: ClusterSession, record: ReleaseRecord): Promise<boolean> {
  const live = await readLive(session.client, mayOwn(record), { metadataOnly: true });
  return [...live.values()].some((o) => notOwnedReason(o, `${record.namespace}/${record.name}`) === undefined);
}

/** A revision's record; one that cannot be decrypted is treated as owning nothing (its objects are then kept). */
async function readTolerant(session: ClusterSession, s: RevisionSummary): Promise<ReleaseRecord | undefined> {
  try {
    return await session.store.read(s.namespace, s.name, s.revision);
  } catch (err) {
    if (isKcError(err) && err.code === 'RECORD_CORRUPT') return undefined;
    throw err;
  }
}

function describeDone(mode: OperationMode, installing: boolean, drift: DriftReport | undefined): string {
  if (mode.kind === 'rollback') return `Rollback to ${mode.to}`;
  if (drift) return `Upgrade complete: repaired ${drift.drifted.length} drifted object(s)`;
  return installing ? 'Install complete' : 'Upgrade complete';
}

/** Applies a revision's objects, prunes its stale objects that are still the release's, then waits. */
async function applyRevision(
  session: ClusterSession,
  record: ReleaseRecord,
  options: OperationOptions,
  event?: 'install' | 'upgrade' | 'rollback',
  how: Pick<StagedApplyOptions, 'ownershipChecked' | 'unchanged' | 'tally'> & { carried?: ReadonlySet<string> } = {},
): Promise<{ applied: ObjectRef[]; unchanged: number; replaced: ObjectRef[]; pruned: ObjectRef[]; left: LeftObject[]; hooks: HookResult[] }> {
  // CRDs carried over by --skip-crds are recorded, not applied.
  const objects = record.objects.filter((_, i) => !how.carried?.has(refKey(record.inventory[i])));
  const hookObjects = event ? record.hookObjects : [];
  const release = `${record.namespace}/${record.name}`;
  const hookOptions = { release: record.name, namespace: record.namespace, timeoutMs: options.timeoutMs, clock: session.clock, signal: options.signal };
  // A pre-hook creates objects in the cluster: from then on the revision has reached it.
  if (event && how.tally && hooksFor(hookObjects, `pre-${event}`).length) how.tally.sent++;
  const hooks = event ? await runHooks(session.client, hookObjects, `pre-${event}`, hookOptions) : [];
  const replaced: ObjectRef[] = [];
  const { ownershipChecked, unchanged, tally } = how;
  const staged = { ...applyOptions(session, record, options), ownershipChecked, unchanged, tally, replaced };
  const applied = await applyStaged(session.client, objects, staged);
  const appliedRefs = applied.map(refOf);
  options.signal?.throwIfAborted(); // no prune after an interruption: the revision is not complete
  const { deleted: pruned, left } = await deleteOwned(session.client, record.stale ?? [], { release, signal: options.signal });
  if (options.wait) {
    const secrets = options.onProgress ? secretStrings(record) : [];
    await waitForReady(session.client, appliedRefs, {
      initial: applied,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      clock: session.clock,
      // Progress quotes objects' statuses and events, which may quote a secret value: cleaned as errors are.
      onProgress: options.onProgress && ((states) => options.onProgress?.(record.name, redactStates(states, secrets))),
    });
  }
  if (event) hooks.push(...(await runHooks(session.client, hookObjects, `post-${event}`, hookOptions)));
  return { applied: appliedRefs, unchanged: how.unchanged?.size ?? 0, replaced, pruned, left, hooks };
}

/** --atomic: put the previous revision back (as a new revision) or, for a failed install, remove what was created. */
async function undo(session: ClusterSession, failed: ReleaseRecord, previous: ReleaseRecord | undefined, options: OperationOptions): Promise<void> {
  const quiet: OperationOptions = { ...options, signal: undefined, atomic: false, onProgress: undefined };
  const release = `${failed.namespace}/${failed.name}`;
  const failedNow = { ...failed, status: 'failed' as const };
  if (!previous) {
    const { left } = await deleteOwned(session.client, mayOwn(failedNow), { release });
    const kept = left.length ? `; left ${left.map(describeLeft).join(', ')}` : '';
    const description = `${failed.description}; install rolled back (--atomic), objects removed${kept}`;
    await session.store.setStatus(failed, 'uninstalled', description, session.clock.now().toISOString());
    return;
  }
  const now = session.clock.now().toISOString();
  const restore: ReleaseRecord = {
    ...previous,
    revision: failed.revision + 1,
    status: 'pending-rollback',
    description: `Rollback to ${previous.revision} (--atomic)`,
    updated: now,
    deployedBy: session.user,
    stale: staleRefs(previous.inventory, failedNow, [previous]),
  };
  await session.store.create(restore);
  try {
    await applyRevision(session, restore, quiet);
    await session.store.setStatus(restore, 'deployed', `Rollback to ${previous.revision} (--atomic)`, session.clock.now().toISOString());
    await session.store.setStatus(previous, 'superseded', previous.description, previous.updated);
  } catch (caught) {
    const err = redactError(caught, secretStrings(previous));
    const reason = isKcError(err) ? err.message : String(err);
    await session.store.setStatus(restore, 'failed', `Rollback to ${previous.revision} failed: ${reason}`, session.clock.now().toISOString());
  }
}
