// The transport's limit on requests in flight. A 500-object install queues ~440 requests behind the first 64, all
// with the operation's signal: one abort listener per waiter made each enqueue scan the listeners already on that
// signal (EventTarget checks for duplicates): 6 ms for 500 waiters, 65 ms for 5000. One listener per signal drops
// all its waiters.

interface Waiter {
  take(): void;
  fail(reason: unknown): void;
  signal?: AbortSignal;
}

/** A counting semaphore: at most `limit` holders at once, served in order; waiters leave when their signal aborts. */
export class Semaphore {
  private active = 0;
  private queue: Waiter[] = [];
  private readonly watched = new WeakSet<AbortSignal>();

  constructor(private readonly limit: number) {}

  /** Resolves with the release function once a slot is free (at once when one is); rejects when `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ take: () => resolve(this.releaser()), fail: reject, signal });
      if (signal && !this.watched.has(signal)) {
        this.watched.add(signal);
        signal.addEventListener('abort', () => this.drop(signal), { once: true });
      }
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the next waiter: nobody can take it in between.
      const next = this.queue.shift();
      if (next) next.take();
      else this.active--;
    };
  }

  private drop(signal: AbortSignal): void {
    const dropped = this.queue.filter((w) => w.signal === signal);
    this.queue = this.queue.filter((w) => w.signal !== signal);
    for (const w of dropped) w.fail(signal.reason);
  }
}
