import { isPending, type LockHandle, type ReleaseStore, type RevisionSummary } from '../release/index.js';
import type { ClusterSession } from './cluster-session.js';
import type { OperationOptions } from './release-operation.js';
import { namespaceMissing } from './release-options.js';

/** The part of an operation that needs no plan: the release's lock, and its history as read under the lock. */
export interface OperationStart {
  lock: LockHandle;
  /**
   * Oldest first; revisions a killed holder left pending are already marked failed. Superseded revisions are left out
   * when every revision is kept (historyMax 0), unless no revision is deployed (see readHistory).
   */
  history: RevisionSummary[];
}

type LockOptions = Pick<OperationOptions, 'waitForLockMs' | 'signal'> & Partial<Pick<OperationOptions, 'historyMax'>>;

/**
 * The history an operation decides from. Kept whole (`historyMax` 0), it grows with every upgrade, so the revisions
 * not superseded are read: the latest never is, nor the deployed one, nor any pending or failed one. Without a
 * deployed revision among them (a release reinstalled after failures, or uninstalled) whether one ever deployed
 * matters, and all are read. With a limit, all are read: trimming counts them, and there are few.
 */
async function readHistory(
  store: ReleaseStore,
  namespace: string,
  name: string,
  historyMax?: number,
): Promise<RevisionSummary[]> {
  if (historyMax !== 0) return store.history(namespace, name);
  const recent = await store.history(namespace, name, { withoutSuperseded: true });
  if (recent.length === 0 || recent.some((h) => h.status === 'deployed')) return recent;
  return store.history(namespace, name);
}

/** Takes the release's lock and reads its history; the lock is released again if the read fails. */
export async function startOperation(
  session: ClusterSession,
  namespace: string,
  name: string,
  options: LockOptions,
): Promise<OperationStart> {
  const { store, clock } = session;
  store.warm(namespace); // the record key is read while the lock is taken (a missing one is created only to write)
  const lock = await session.locker.acquire(namespace, name, { waitMs: options.waitForLockMs, signal: options.signal });
  try {
    const history = await readHistory(store, namespace, name, options.historyMax);
    const fenced = store.fenced(() => lock.assertHeld());
    for (const s of history.filter((h) => isPending(h.status))) {
      // The lock was free, so whoever left this pending is gone (killed or crashed).
      await fenced.setStatus(
        s,
        'failed',
        `${s.description || s.status}: interrupted, the process running it stopped`,
        clock.now().toISOString(),
      );
      s.status = 'failed';
    }
    return { lock, history };
  } catch (err) {
    await lock.release();
    throw err;
  }
}

/** An operation's start sent ahead, to be answered while the chart renders. */
export interface EarlyStart {
  /** The started operation; undefined when the namespace is missing and is to be created (after the render). */
  started: Promise<OperationStart | undefined>;
  /** True once the namespace is known to exist (false when missing, or when its check failed). */
  namespaceExists: Promise<boolean>;
  /** For a render that failed: gives back the lock, once its request is answered, if it was taken. */
  cancel(): Promise<void>;
}

/**
 * Starts the operation (lock, history) and checks the namespace at the same time, without waiting: none of it
 * depends on the chart, so its round trips overlap the chart's loading and rendering. A missing namespace fails as
 * `ensureNamespace` would, unless `create` is set: then nothing stays locked, and the caller creates it once the
 * render succeeded.
 */
export function startEarly(
  session: ClusterSession,
  namespace: string,
  name: string,
  options: LockOptions & { create: boolean },
): EarlyStart {
  const checked = session.client.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
  const namespaceExists = checked.then(
    (ns) => ns !== undefined,
    () => false,
  );
  // In a missing namespace the Lease cannot be created, so this fails (or, if the namespace appeared meanwhile, the
  // lock is given back below); sent now, not after the check, the history read is under way before the render.
  const locking = startOperation(session, namespace, name, options);
  locking.catch(() => undefined); // met below, or given back by cancel
  const giveBack = async () => {
    const taken = await locking.catch(() => undefined);
    await taken?.lock.release();
  };
  const started = (async () => {
    if (!(await checked)) {
      await giveBack();
      if (options.create) return undefined;
      throw namespaceMissing(namespace);
    }
    return locking;
  })();
  started.catch(() => undefined); // awaited by the caller, after the render
  return { started, namespaceExists, cancel: giveBack };
}

/**
 * Lets the event loop run so that answers which arrived meanwhile are handled and the requests they lead to are on
 * the wire before the caller blocks again. Two turns: Node writes HTTP/2 frames from an immediate of its own
 * (Http2Session::MaybeScheduleWrite), which for a request made while immediates run comes only in the next turn.
 */
export async function letIoProceed(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}
