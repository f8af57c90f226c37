import type { KcContext } from '../src/context.js';

/** Where the CLI writes and what it knows about the terminal; tests pass a capturing one. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Live progress (and, unless set below, colour) only when stderr is a terminal. */
  isTTY: boolean;
  /** Colour in what goes to stdout / stderr, decided per stream (NO_COLOR, FORCE_COLOR, --no-color); isTTY if unset. */
  colorStdout?: boolean;
  colorStderr?: boolean;
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

/** Whether text written to `stream` may carry colour. */
export function colorFor(io: CliIO, stream: 'stdout' | 'stderr'): boolean {
  return (stream === 'stdout' ? io.colorStdout : io.colorStderr) ?? io.isTTY;
}

/**
 * Colour per stream, as most CLIs decide it: off with --no-color or a non-empty NO_COLOR, on with FORCE_COLOR (other
 * than 0/false), else only on a terminal.
 */
export function colorChoice(env: NodeJS.ProcessEnv, noColorFlag: boolean, isTTY: boolean): boolean {
  if (noColorFlag || env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return isTTY;
}
