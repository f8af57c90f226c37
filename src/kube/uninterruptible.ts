// Some writes must not be cut in half by a signal: once an operation records its revision deployed, a signal that
// abandoned that request mid-flight would leave kc reporting "interrupted" while the server recorded "deployed".
// Requests made inside `uninterruptible` are not abandoned on an abort; each still has its own timeout.
import { AsyncLocalStorage } from 'node:async_hooks';

const shield = new AsyncLocalStorage<true>();
let open = 0;

/** Runs `work` with its cluster requests shielded from the operation's abort signal. */
export async function uninterruptible<T>(work: () => Promise<T>): Promise<T> {
  open++;
  try {
    return await shield.run(true, work);
  } finally {
    // An enabled storage makes Node run async hooks on every promise and callback until it is disabled: ~10% of a
    // 500-object install's CPU when the record written before its applies left it on. Nothing shielded is left
    // once the last `work` settled (each awaits its requests), so no request can miss its shield.
    if (--open === 0) shield.disable();
  }
}

/** True inside `uninterruptible`: the transport then does not abandon the request when the operation aborts. */
export function isUninterruptible(): boolean {
  return shield.getStore() === true;
}
