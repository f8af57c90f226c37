import pc from 'picocolors';
import type { OperationResult } from '../src/actions/release-operation.js';
import { describeLeft } from '../src/kube/owned-delete.js';
import { describeRef } from '../src/kube/types.js';
import { safe, terminalSafe, terminalSafeLines } from './terminal-safe.js';

/** The summary printed after install, upgrade, deploy or rollback (with the chart's notes). */
export function renderOperation(result: OperationResult, color: boolean): string {
  const c = pc.createColors(color);
  // Names, descriptions, reasons and notes come from input, charts or the API server: each is made terminal-safe.
  const release = c.bold(terminalSafe(result.release));
  const lines = result.noChange
    ? [`${release}: no changes (revision ${result.revision} is deployed with the same chart and values)`]
    : [
        `${release}: ${c.green(terminalSafe(result.description))}`,
        safe`  namespace: ${result.namespace}   revision: ${result.revision}   status: ${result.status}`,
        `  applied ${result.applied.length} object(s)${result.unchanged ? ` (${result.unchanged} already so in the cluster, not sent)` : ''}${result.pruned.length ? `, pruned ${result.pruned.length}` : ''}`,
      ];
  for (const d of result.drifted ?? []) lines.push(safe`  repaired ${describeRef(d.ref)}: ${d.reason}`);
  for (const ref of result.replaced ?? []) lines.push(safe`  replaced ${describeRef(ref)}: immutable field changed`);
  for (const left of result.left ?? []) lines.push(safe`  left ${describeLeft(left)}`);
  for (const h of result.hooks ?? []) lines.push(safe`  hook ${h.event} ${h.ref.kind}/${h.ref.name}: ${h.reason}`);
  if (result.notes && !result.noChange) lines.push('', c.bold('NOTES:'), terminalSafeLines(result.notes));
  return lines.join('\n') + '\n';
}
