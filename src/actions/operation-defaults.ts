import type { OperationOptions } from './release-operation.js';

/** Defaults of the operation knobs, as the CLI documents them (a module of its own: `--help` reads it at start). */
export const DEFAULT_OPERATION: Omit<OperationOptions, 'signal' | 'onProgress'> = {
  wait: true,
  timeoutMs: 5 * 60_000,
  atomic: false,
  force: false,
  adopt: false,
  historyMax: 10,
  waitForLockMs: 0,
  reapply: false,
  forceReplace: false,
};
