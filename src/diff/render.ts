import pc from 'picocolors';
import { describeRef } from '../kube/types.js';
import type { ChangeAction, ObjectChange } from './object-diff.js';
import type { DiffSummary } from './plan-diff.js';

type Colors = ReturnType<typeof pc.createColors>;

const MARK: Record<Exclude<ChangeAction, 'unchanged'>, string> = { create: '+', update: '~', delete: '-' };

function headerColor(c: Colors, action: ChangeAction): (s: string) => string {
  return action === 'create' ? c.green : action === 'delete' ? c.red : c.yellow;
}

function colorLine(c: Colors, line: string): string {
  // File headers start with ---/+++ but are not removals or additions.
  if (line.startsWith('--- ') || line.startsWith('+++ ')) return c.bold(line);
  if (line.startsWith('@@')) return c.cyan(line);
  if (line.startsWith('+')) return c.green(line);
  if (line.startsWith('-')) return c.red(line);
  if (line.startsWith('\\')) return c.dim(line);
  return line;
}

/** Lines saying that an update is refused as immutable and what the deploy does about it. */
function immutableLines(c: Colors, change: ObjectChange): string[] {
  const immutable = change.immutable;
  if (!immutable) return [];
  const reasons = immutable.details.map((l) => c.red(`! ${l}`));
  const verdict = immutable.replace
    ? c.yellow('! will be replaced (immutable field changed): deleted and created again from the chart')
    : c.red(`! immutable field changed: the deploy fails, ${immutable.refusal ?? 'needs --force-replace'}`);
  return [...reasons, verdict];
}

/** Renders a diff summary as text: a header and a unified diff per changed object, then a plan line. */
export function renderDiff(summary: DiffSummary, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  if (!summary.hasChanges) return 'No changes.\n';
  const blocks: string[] = [];
  for (const change of summary.changes) {
    if (change.action === 'unchanged') continue;
    const what = change.immutable?.replace ? '± replace' : `${MARK[change.action]} ${change.action}`;
    const title = `${what} ${describeRef(change.ref)}`;
    const header = headerColor(c, change.action)(title);
    const conflicts = (change.conflicts ?? []).map((l) => c.red(`! ${l}`));
    if (conflicts.length) conflicts.push(c.red('! these fields belong to another field manager: applying needs --force-conflicts'));
    const body = change.patch.replace(/\n$/, '').split('\n').filter(Boolean).map((l) => colorLine(c, l));
    blocks.push([header, ...immutableLines(c, change), ...conflicts, ...body].join('\n'));
  }
  const { create, update, delete: del, unchanged } = summary.counts;
  const replaced = summary.changes.filter((ch) => ch.immutable?.replace).length;
  const updates = replaced ? `${update} to update (${replaced} by replacing)` : `${update} to update`;
  blocks.push(`Plan: ${create} to create, ${updates}, ${del} to delete (${unchanged} unchanged).`);
  return blocks.join('\n\n') + '\n';
}
