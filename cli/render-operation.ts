import pc from 'picocolors';
import type { OperationResult } from '../src/actions/release-operation.js';
import { describeLeft } from '../src/kube/owned-delete.js';
import { describeRef } from '../src/kube/types.js';

/** The summary printed after install, upgrade, deploy or rollback (with the chart's notes). */
export function renderOperation(result: OperationResult, color: boolean): string {
  const c = pc.createColors(color);
  const lines = result.noChange
    ? [`${c.bold(result.release)}: no changes (revision ${result.revision} is deployed with the same chart and values)`]
    : [
        `${c.bold(result.release)}: ${c.green(result.description)}`,
        `  namespace: ${result.namespace}   revision: ${result.revision}   status: ${result.status}`,
        `  applied ${result.applied.length} object(s)${result.unchanged ? ` (${result.unchanged} already so in the cluster, not sent)` : ''}${result.pruned.length ? `, pruned ${result.pruned.length}` : ''}`,
      ];
  for (const d of result.drifted ?? []) lines.push(`  repaired ${describeRef(d.ref)}: ${d.reason}`);
  for (const ref of result.replaced ?? []) lines.push(`  replaced ${describeRef(ref)}: immutable field changed`);
  for (const left of result.left ?? []) lines.push(`  left ${describeLeft(left)}`);
  for (const h of result.hooks ?? []) lines.push(`  hook ${h.event} ${h.ref.kind}/${h.ref.name}: ${h.reason}`);
  if (result.notes && !result.noChange) lines.push('', c.bold('NOTES:'), result.notes);
  return lines.join('\n') + '\n';
}
