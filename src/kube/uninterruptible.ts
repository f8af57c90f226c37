// Some writes must not be cut in half by a signal: once an operation records its revision deployed, a signal that
// abandoned that request mid-flight would leave kc reporting "interrupted" while the server recorded "deployed".
// Requests made inside `uninterruptible` are not abandoned on an abort; each still has its own timeout.
import { AsyncLocalStorage } from 'node:async_hooks';

const shield = new AsyncLocalStorage<true>();

/** Runs `work` with its cluster requests shielded from the operation's abort signal. */
export function uninterruptible<T>(work: () => Promise<T>): Promise<T> {
  return shield.run(true, work);
}

/** True inside `uninterruptible`: the transport then does not abandon the request when the operation aborts. */
export function isUninterruptible(): boolean {
  return shield.getStore() === true;
}
