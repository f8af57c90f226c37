import os from 'node:os';
import type { Clock } from '../clock.js';
import { KcError } from '../errors/index.js';
import type { KubeClient, KubeObject } from '../kube/types.js';

/** Who holds a release lock. */
export interface LockHolder {
  user: string;
  host: string;
  pid: number;
  since: string;
}

/** A held lock; release it when the operation ends. */
export interface LockHandle {
  release(): Promise<void>;
}

/** Grants one operation per release at a time. */
export interface ReleaseLocker {
  acquire(namespace: string, release: string, options?: { waitMs?: number; signal?: AbortSignal }): Promise<LockHandle>;
}

/** The identity this process uses when it takes a lock. */
export function currentHolder(clock: Clock): LockHolder {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // Some containers have no passwd entry for the uid.
  }
  return { user, host: os.hostname(), pid: process.pid, since: clock.now().toISOString() };
}

function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function describeHolder(identity: string | undefined): string {
  try {
    const h = JSON.parse(identity ?? '') as LockHolder;
    return `${h.user}@${h.host} (pid ${h.pid}) since ${h.since}`;
  } catch {
    return identity ?? 'unknown holder';
  }
}

/** Options of the Lease-based lock. */
export interface LeaseOptions {
  /** Seconds after the last renewal when a lock counts as abandoned (default 30). */
  durationSeconds?: number;
  /** How often a holder renews (default every 10 s). */
  renewMs?: number;
  /** How often a waiter looks again (default 1 s). */
  pollMs?: number;
}

/**
 * A lock per release as a coordination.k8s.io Lease named `kc-lock.<release>`. The holder renews it while it
 * works; a holder that dies (even by kill -9) stops renewing, and the lock expires after `durationSeconds`.
 */
export class LeaseLocker implements ReleaseLocker {
  private readonly duration: number;

  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
    private readonly holder: LockHolder,
    private readonly options: LeaseOptions = {},
  ) {
    this.duration = options.durationSeconds ?? 30;
  }

  private lease(namespace: string, release: string, resourceVersion?: string): KubeObject {
    const now = microTime(this.clock.now());
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: `kc-lock.${release}`, namespace, labels: { 'app.kubernetes.io/managed-by': 'kc', 'kc.dev/release': release }, ...(resourceVersion ? { resourceVersion } : {}) },
      spec: { holderIdentity: JSON.stringify(this.holder), leaseDurationSeconds: this.duration, acquireTime: now, renewTime: now },
    };
  }

  private expired(lease: KubeObject): boolean {
    const spec = lease.spec as { renewTime?: string; leaseDurationSeconds?: number };
    const renewed = Date.parse(spec.renewTime ?? '');
    if (Number.isNaN(renewed)) return true;
    return this.clock.now().getTime() > renewed + (spec.leaseDurationSeconds ?? this.duration) * 1000;
  }

  /** One attempt: true when this process now holds the lock, else the current lease. */
  private async tryTake(namespace: string, release: string): Promise<true | KubeObject> {
    try {
      await this.client.create(this.lease(namespace, release));
      return true;
    } catch (err) {
      if (!(err instanceof KcError && err.code === 'ALREADY_EXISTS')) throw err;
    }
    const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace, name: `kc-lock.${release}` };
    const current = await this.client.get(ref);
    if (!current) return this.tryTake(namespace, release);
    if (!this.expired(current)) return current;
    try {
      // resourceVersion makes the take-over fail if another process took the expired lock first.
      await this.client.replace(this.lease(namespace, release, current.metadata?.resourceVersion as string));
      return true;
    } catch (err) {
      if (err instanceof KcError && err.code === 'CONFLICT') return current;
      throw err;
    }
  }

  async acquire(namespace: string, release: string, options: { waitMs?: number; signal?: AbortSignal } = {}): Promise<LockHandle> {
    const deadline = this.clock.now().getTime() + (options.waitMs ?? 0);
    const pollMs = this.options.pollMs ?? 1000;
    for (;;) {
      const taken = await this.tryTake(namespace, release);
      if (taken === true) return this.hold(namespace, release);
      if (this.clock.now().getTime() + pollMs > deadline) {
        const identity = (taken.spec as { holderIdentity?: string }).holderIdentity;
        throw new KcError('RELEASE_LOCKED', `release "${release}" is locked by another operation: ${describeHolder(identity)}`, {
          hint: `wait for it to finish, or pass --wait-for-lock; a lock whose holder died expires ${this.duration}s after its last renewal`,
        });
      }
      await this.clock.sleep(pollMs, options.signal);
    }
  }

  private hold(namespace: string, release: string): LockHandle {
    const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace, name: `kc-lock.${release}` };
    const timer = setInterval(() => {
      this.client.mergePatch(ref, { spec: { renewTime: microTime(this.clock.now()) } }).catch(() => undefined);
    }, this.options.renewMs ?? 10_000);
    timer.unref();
    return {
      release: async () => {
        clearInterval(timer);
        await this.client.delete(ref).catch(() => undefined);
      },
    };
  }
}

/** An in-process lock for tests and the memory store. */
export class MemoryLocker implements ReleaseLocker {
  readonly held = new Map<string, LockHolder>();
  constructor(private readonly holder: LockHolder) {}
  async acquire(namespace: string, release: string): Promise<LockHandle> {
    const key = `${namespace}/${release}`;
    const current = this.held.get(key);
    if (current) {
      throw new KcError('RELEASE_LOCKED', `release "${release}" is locked by another operation: ${describeHolder(JSON.stringify(current))}`, {
        hint: 'wait for it to finish, or pass --wait-for-lock',
      });
    }
    this.held.set(key, this.holder);
    return { release: async () => void this.held.delete(key) };
  }
}
