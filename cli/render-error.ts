import pc from 'picocolors';
import { isKcError, internalError, type KcError } from '../src/errors/index.js';

/** Renders any thrown value as kc's error block and returns the exit code to use. */
export function renderError(err: unknown, color: boolean): { text: string; exitCode: number } {
  const c = pc.createColors(color);
  const e: KcError = isKcError(err) ? err : internalError(err);
  const lines = [`${c.red(c.bold('Error'))} ${c.dim(`[${e.code}]`)}: ${e.message}`];
  for (const d of e.details) lines.push(`  ${d}`);
  if (e.hint) lines.push(`${c.cyan('Hint')}: ${e.hint}`);
  if (e.code === 'INTERNAL' && e.cause instanceof Error && e.cause.stack && process.env.KC_DEBUG) lines.push(e.cause.stack);
  return { text: lines.join('\n') + '\n', exitCode: e.exitCode };
}
