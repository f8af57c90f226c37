import type { Clock } from '../clock.js';
import { KcError, isKcError } from '../errors/index.js';
import type { KubeClient, KubeObject } from '../kube/types.js';
import { describeHolder, lockLost, type LockHandle, type LockHolder, type ReleaseLocker } from './lock.js';

function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Options of the Lease-based lock. */
export interface LeaseOptions {
  /** Seconds after the last renewal when a lock counts as abandoned (default 30). */
  durationSeconds?: number;
  /** How often a holder renews (default a third of the duration). */
  renewMs?: number;
  /** How often a waiter looks again (default 1 s). */
  pollMs?: number;
}

/** True when a lock Lease was last renewed longer ago than its duration (or never): its holder is gone. */
export function leaseExpired(lease: KubeObject, now: Date, defaultSeconds = 30): boolean {
  const spec = (lease.spec ?? {}) as { renewTime?: string; leaseDurationSeconds?: number };
  const renewed = Date.parse(spec.renewTime ?? '');
  if (Number.isNaN(renewed)) return true;
  return now.getTime() > renewed + (spec.leaseDurationSeconds ?? defaultSeconds) * 1000;
}

/** The lock Lease of a release. */
export const leaseRef = (namespace: string, release: string) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  namespace,
  name: `kc-lock.${release}`,
});

/**
 * A lock per release as a coordination.k8s.io Lease named `kc-lock.<release>`. The holder renews it while it
 * works; a holder that dies (even by kill -9) stops renewing, and the lock expires after `durationSeconds`.
 * Every write of a holder is fenced: a take-over changes the Lease's resourceVersion, and the holder's renewals
 * are conditional on the version it last wrote, so a holder that was paused past its lease finds out before it
 * writes again (LOCK_LOST) instead of overwriting the next operation's work.
 */
export class LeaseLocker implements ReleaseLocker {
  private readonly duration: number;
  private readonly identity: string;

  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
    holder: LockHolder,
    private readonly options: LeaseOptions = {},
  ) {
    this.duration = options.durationSeconds ?? 30;
    this.identity = JSON.stringify(holder);
  }

  private lease(namespace: string, release: string, resourceVersion?: string): KubeObject {
    const now = microTime(this.clock.now());
    const { apiVersion, kind, name } = leaseRef(namespace, release);
    return {
      apiVersion,
      kind,
      metadata: {
        name,
        namespace,
        labels: { 'app.kubernetes.io/managed-by': 'kc', 'kc.dev/release': release },
        ...(resourceVersion ? { resourceVersion } : {}),
      },
      spec: {
        holderIdentity: this.identity,
        leaseDurationSeconds: this.duration,
        acquireTime: now,
        renewTime: now,
      },
    };
  }

  private expired(lease: KubeObject): boolean {
    return leaseExpired(lease, this.clock.now(), this.duration);
  }

  /** One attempt: the version of the Lease this process now holds, else the current lease. */
  private async tryTake(namespace: string, release: string): Promise<{ version: string } | { current: KubeObject }> {
    try {
      const created = await this.client.create(this.lease(namespace, release));
      return { version: String(created.metadata?.resourceVersion ?? '') };
    } catch (err) {
      if (!(isKcError(err) && err.code === 'ALREADY_EXISTS')) {
        await this.giveBackUnanswered(namespace, release);
        throw err;
      }
    }
    const current = await this.client.get(leaseRef(namespace, release));
    if (!current) return this.tryTake(namespace, release);
    if (!this.expired(current)) return { current };
    try {
      // resourceVersion makes the take-over fail if another process took the expired lock first.
      const taken = await this.client.replace(
        this.lease(namespace, release, current.metadata?.resourceVersion as string),
      );
      return { version: String(taken.metadata?.resourceVersion ?? '') };
    } catch (err) {
      if (isKcError(err) && err.code === 'CONFLICT') return { current };
      throw err;
    }
  }

  /**
   * A create whose answer was lost (a signal, a reset) may still have made the Lease: if it is this process's,
   * it is deleted again, so an interrupted start leaves no lock behind. Best effort: it expires anyway.
   */
  private async giveBackUnanswered(namespace: string, release: string): Promise<void> {
    try {
      const current = await this.client.get(leaseRef(namespace, release));
      const holder = (current?.spec as { holderIdentity?: string } | undefined)?.holderIdentity;
      if (!current || holder !== this.identity) return;
      const resourceVersion = String(current.metadata?.resourceVersion ?? '');
      await this.client.delete(leaseRef(namespace, release), { preconditions: { resourceVersion } });
    } catch {
      // The lease expires after its duration.
    }
  }

  async acquire(
    namespace: string,
    release: string,
    options: { waitMs?: number; signal?: AbortSignal } = {},
  ): Promise<LockHandle> {
    const deadline = this.clock.now().getTime() + (options.waitMs ?? 0);
    const pollMs = this.options.pollMs ?? 1000;
    for (;;) {
      const sent = this.clock.now().getTime();
      const taken = await this.tryTake(namespace, release);
      if ('version' in taken) return this.hold(namespace, release, taken.version, sent);
      if (this.clock.now().getTime() + pollMs > deadline) {
        const identity = (taken.current.spec as { holderIdentity?: string }).holderIdentity;
        throw new KcError(
          'RELEASE_LOCKED',
          `release "${release}" is locked by another operation: ${describeHolder(identity)}`,
          {
            hint: `wait for it to finish, or pass --wait-for-lock; a lock whose holder died expires ${this.duration}s after its last renewal`,
          },
        );
      }
      await this.clock.sleep(pollMs, options.signal);
    }
  }

  private hold(namespace: string, release: string, version: string, sentAt: number): LockHandle {
    const ref = leaseRef(namespace, release);
    const state = { version, confirmedAt: sentAt, lost: undefined as string | undefined, released: false };
    let renewing: Promise<void> | undefined;
    // Conditional on the version this holder wrote last: fails once anyone else has written the Lease. A patch,
    // not a replace: an update of a deleted Lease would create it again (Leases allow create-on-update).
    const renewOnce = async (): Promise<void> => {
      const sent = this.clock.now().getTime();
      try {
        const renewed = await this.client.mergePatch(ref, {
          metadata: { resourceVersion: state.version },
          spec: { holderIdentity: this.identity, renewTime: microTime(new Date(sent)) },
        });
        state.version = String(renewed.metadata?.resourceVersion ?? '');
        state.confirmedAt = sent;
      } catch (err) {
        if (isKcError(err) && (err.code === 'CONFLICT' || err.code === 'NOT_FOUND')) {
          state.lost = err.code === 'NOT_FOUND' ? 'its Lease was deleted' : 'another operation took its Lease over';
        }
        // Other failures (a lost connection) are retried at the next renewal; the lease may still expire.
      }
    };
    const renew = (): Promise<void> => {
      if (state.lost || state.released) return Promise.resolve();
      renewing ??= renewOnce().finally(() => (renewing = undefined));
      return renewing;
    };
    const timer = setInterval(() => void renew(), this.options.renewMs ?? Math.floor((this.duration * 1000) / 3));
    timer.unref();
    const margin = Math.min(5000, (this.duration * 1000) / 3);
    const fresh = () => this.clock.now().getTime() < state.confirmedAt + this.duration * 1000 - margin;
    return {
      assertHeld: async () => {
        if (!state.lost && !fresh()) await renew(); // paused or starved: confirm before writing
        if (!state.lost && !fresh()) state.lost = `its Lease could not be renewed for ${this.duration}s`;
        if (state.lost) {
          clearInterval(timer);
          throw lockLost(release, state.lost);
        }
      },
      release: async () => {
        clearInterval(timer);
        state.released = true;
        await renewing?.catch(() => undefined);
        if (state.lost) return; // someone else's now: never delete it
        // Only the Lease as this holder last wrote it: a take-over in between is left alone.
        await this.client.delete(ref, { preconditions: { resourceVersion: state.version } }).catch(() => undefined);
      },
    };
  }
}
