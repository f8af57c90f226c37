import os from 'node:os';
import type { Clock } from '../clock.js';
import { KcError } from '../errors/index.js';

/** Who holds a release lock. */
export interface LockHolder {
  user: string;
  host: string;
  pid: number;
  since: string;
}

/** A held lock; release it when the operation ends. */
export interface LockHandle {
  /** Resolves while this process still holds the lock (confirming it when due); LOCK_LOST once it does not. */
  assertHeld(): Promise<void>;
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

/** A Lease's holderIdentity as `user@host (pid N) since T`. */
export function describeHolder(identity: string | undefined): string {
  try {
    const h = JSON.parse(identity ?? '') as LockHolder;
    return `${h.user}@${h.host} (pid ${h.pid}) since ${h.since}`;
  } catch {
    return identity ?? 'unknown holder';
  }
}

/** The error of a holder that lost its lock: it stops before writing anything more. */
export function lockLost(release: string, why: string): KcError {
  return new KcError('LOCK_LOST', `this process lost the lock of release "${release}" (${why}); it stopped before writing more`, {
    hint: `the process was paused or cut off past its lease; see \`kc history ${release}\` and run the operation again`,
  });
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
    return {
      assertHeld: async () => {
        if (this.held.get(key) !== this.holder) throw lockLost(release, 'its lock was taken');
      },
      release: async () => void (this.held.get(key) === this.holder && this.held.delete(key)),
    };
  }
}
