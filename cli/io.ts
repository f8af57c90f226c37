import type { KcContext } from '../src/context.js';

/** Where the CLI writes and what it knows about the terminal; tests pass a capturing one. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Color and live progress only on a terminal. */
  isTTY: boolean;
  /** Standard input is a terminal, so a password can be asked for (unset in tests: never prompt there). */
  stdinIsTTY?: boolean;
  /** The terminal's width and height in characters, when stderr is one: live progress fits itself to them. */
  columns?: number;
  rows?: number;
  ctx: KcContext;
  /** Aborted on SIGINT/SIGTERM: operations stop, mark the revision failed and unlock. */
  signal?: AbortSignal;
  /** Set by a command whose success has a non-zero code (diff --exit-code). */
  exitCode?: number;
}
