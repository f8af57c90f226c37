import pc from 'picocolors';
import { isKcError, internalError, type KcError } from '../src/errors/index.js';
import { terminalSafe, terminalSafeLines } from './terminal-safe.js';

// Message, details and hint may quote input (names, keys, paths, the API server's words): each is shown as one line,
// its control and bidi characters escaped (cli/terminal-safe.ts).

/** Renders any thrown value as kc's error block and returns the exit code to use. */
export function renderError(err: unknown, color: boolean): { text: string; exitCode: number } {
  const c = pc.createColors(color);
  const e: KcError = isKcError(err) ? err : internalError(err);
  const lines = [`${c.red(c.bold('Error'))} ${c.dim(`[${e.code}]`)}: ${terminalSafe(e.message)}`];
  for (const d of e.details) lines.push(`  ${terminalSafe(d)}`);
  if (e.hint) lines.push(`${c.cyan('Hint')}: ${terminalSafe(e.hint)}`);
  const stack = e.code === 'INTERNAL' && e.cause instanceof Error && process.env.KC_DEBUG ? e.cause.stack : undefined;
  if (stack) lines.push(terminalSafeLines(stack));
  return { text: lines.join('\n') + '\n', exitCode: e.exitCode };
}
