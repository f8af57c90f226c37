import type { KcContext } from '../src/context.js';

/** Where the CLI writes and what it knows about the terminal; tests pass a capturing one. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Color and live progress only on a terminal. */
  isTTY: boolean;
  ctx: KcContext;
  /** Aborted on SIGINT/SIGTERM: operations stop, mark the revision failed and unlock. */
  signal?: AbortSignal;
  /** Set by a command whose success has a non-zero code (diff --exit-code). */
  exitCode?: number;
}
