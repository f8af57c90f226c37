import type { KcContext } from '../context.js';
import { isKcError, KcError } from '../errors/index.js';
import { isKept } from '../kube/apply.js';
import { redactError, secretStrings } from '../operation/secret-strings.js';
import { deleteOwned, type LeftObject, type OwnedDeletion } from '../kube/owned-delete.js';
import { uninterruptible } from '../kube/uninterruptible.js';
import { waitForDeletion } from '../kube/wait.js';
import type { ObjectRef } from '../kube/types.js';
import { afterFailure } from '../operation/after-failure.js';
import { readForRemoval } from '../operation/unreadable-release.js';
import { mayOwn, type InventoryOf } from '../operation/inventory.js';
import { fenceSession } from './fenced-session.js';
import type { ClusterSession } from './cluster-session.js';
import { runHooks } from './hooks.js';
import type { ClusterOptions } from './release-options.js';
import { refKey, refOf } from '../kube/types.js';

const DEFAULT_TIMEOUT_MS = 300_000;

/** Options of `kc uninstall`. */
export interface UninstallOptions extends ClusterOptions {
  release: string;
  keepHistory?: boolean;
  /** Also delete the release's CustomResourceDefinitions (and so every custom resource of them). */
  includeCrds?: boolean;
  waitForLockMs?: number;
  /** Say what would be deleted and kept, changing nothing (no lock, no record, no hook). */
  dryRun?: boolean;
  /** A release that does not exist is a success with nothing to do (as Helm's --ignore-not-found). */
  ignoreNotFound?: boolean;
  /** Wait until the deleted objects are gone (finalizers run), after the release is recorded as uninstalled. */
  wait?: boolean;
  /** Bounds the hooks and the wait; 5 minutes by default. */
  timeoutMs?: number;
  /** With keepHistory: the kept revision's description, instead of "Uninstallation complete". */
  description?: string;
  signal?: AbortSignal;
}

/** What an uninstall removed and kept (or, for a dry run, would remove and keep). */
export interface UninstallResult {
  release: string;
  namespace: string;
  deleted: ObjectRef[];
  /** Objects annotated to be kept (and CRDs without includeCrds). */
  kept: ObjectRef[];
  /** Objects left because the live object says the release does not own them. */
  left: LeftObject[];
  historyKept: boolean;
  dryRun?: boolean;
  /** The release did not exist (only with ignoreNotFound). */
  notFound?: boolean;
  /**
   * Its records could not be decrypted (the record key was lost): its objects were found by their annotation in
   * the kinds its index names, and no hook ran.
   */
  unreadable?: boolean;
}

/** How an uninstall splits what a revision may own: objects annotated to be kept, and CRDs unless included, stay. */
export function uninstallSplit(record: InventoryOf, includeCrds: boolean): { remove: ObjectRef[]; keep: ObjectRef[] } {
  const keepKeys = new Set(record.objects.filter((o) => isKept(o) || (o.kind === 'CustomResourceDefinition' && !includeCrds)).map((o) => refKey(refOf(o))));
  const refs = mayOwn(record);
  return { remove: refs.filter((r) => !keepKeys.has(refKey(r))), keep: refs.filter((r) => keepKeys.has(refKey(r))) };
}

/** Uninstalls with an open session: deletes objects in reverse install order, then the records (or marks them uninstalled). */
export async function uninstallWithSession(
  unfenced: ClusterSession,
  options: { release: string; namespace: string; keepHistory?: boolean; includeCrds?: boolean; waitForLockMs?: number; timeoutMs?: number; signal?: AbortSignal; description?: string },
): Promise<UninstallResult> {
  const { namespace, release } = options;
  const lock = await unfenced.locker.acquire(namespace, release, { waitMs: options.waitForLockMs ?? 0 });
  const session = fenceSession(unfenced, lock);
  const { store, clock } = session;
  try {
    const history = await store.requireHistory(namespace, release);
    const latest = history.at(-1)!;
    const { record, unreadable } = await readForRemoval(session.client, store, history);
    await store.setStatus(latest, 'uninstalling', 'Deletion in progress', clock.now().toISOString());
    const hookObjects = record.hookObjects;
    const hookOptions = { release, namespace, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, clock, signal: options.signal };
    const { remove, keep: kept } = uninstallSplit(record, Boolean(options.includeCrds));
    let deletion: OwnedDeletion;
    try {
      await runHooks(session.client, hookObjects, 'pre-delete', hookOptions);
      deletion = await deleteOwned(session.client, remove, { release: `${namespace}/${release}`, signal: options.signal });
      await runHooks(session.client, hookObjects, 'post-delete', hookOptions);
    } catch (caught) {
      const err = redactError(caught, secretStrings(record)); // a hook's failure may quote a secret value
      // Never left "uninstalling": the revision says what stopped it, and running uninstall again finishes the job.
      const why = err instanceof Error ? err.message : String(err);
      throw await afterFailure(err, `mark revision ${latest.revision} failed`, () =>
        store.setStatus(latest, 'failed', `Uninstall failed: ${why}`, clock.now().toISOString()),
      );
    }
    // The objects are gone: a signal now must not leave the records half-removed.
    await uninterruptible(async () => {
      if (options.keepHistory) {
        await store.setStatus(latest, 'uninstalled', options.description || 'Uninstallation complete', clock.now().toISOString());
      } else {
        await store.removeAll(namespace, release);
      }
    });
    return { release, namespace, ...deletion, kept, historyKept: Boolean(options.keepHistory), ...(unreadable ? { unreadable } : {}) };
  } finally {
    await lock.release();
  }
}

/** What an uninstall would do: the same reads and ownership checks as the real one, with nothing deleted. */
export async function uninstallPreview(session: ClusterSession, options: { release: string; namespace: string; keepHistory?: boolean; includeCrds?: boolean }): Promise<UninstallResult> {
  const history = await session.store.requireHistory(options.namespace, options.release);
  const { record, unreadable } = await readForRemoval(session.client, session.store, history);
  const { remove, keep } = uninstallSplit(record, Boolean(options.includeCrds));
  const deletion = await deleteOwned(session.client, remove, { release: `${options.namespace}/${options.release}`, dryRun: true });
  const result = { release: options.release, namespace: options.namespace, ...deletion, kept: keep, dryRun: true };
  return { ...result, historyKept: Boolean(options.keepHistory), ...(unreadable ? { unreadable } : {}) };
}

/** `kc uninstall R`: removes a release's objects and its history (unless --keep-history); or, with dryRun, says what it would. */
export async function uninstall(ctx: KcContext, options: UninstallOptions): Promise<UninstallResult> {
  const session = await ctx.connect({ kubeconfig: options.kubeconfig, context: options.context });
  const namespace = options.namespace ?? session.namespace;
  try {
    if (options.dryRun) return await uninstallPreview(session, { ...options, namespace });
    const result = await uninstallWithSession(session, { ...options, namespace });
    // The release is already uninstalled (records final, lock given back): a timeout here loses nothing.
    if (options.wait) {
      await waitForDeletion(session.client, result.deleted, { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, clock: session.clock, signal: options.signal }).catch((err: unknown) => {
        throw isKcError(err) ? new KcError(err.code, `release "${options.release}" is uninstalled, but ${err.message}`, { details: err.details, hint: err.hint }) : err;
      });
    }
    return result;
  } catch (err) {
    if (options.ignoreNotFound && isKcError(err) && err.code === 'RELEASE_NOT_FOUND') {
      return { release: options.release, namespace, deleted: [], kept: [], left: [], historyKept: false, dryRun: options.dryRun, notFound: true };
    }
    throw err;
  } finally {
    session.close();
  }
}
