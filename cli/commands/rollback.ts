import type { Command } from 'commander';
import { rollback } from '../../src/actions/rollback.js';
import { uninstall } from '../../src/actions/uninstall.js';
import { describeRef } from '../../src/kube/types.js';
import { addClusterFlags, addOperationFlags, operationOptions, parseRevision, type ClusterFlagValues, type OperationFlagValues } from '../cluster-flags.js';
import { parseDuration } from '../duration.js';
import type { CliIO } from '../io.js';
import { progressReporter } from '../progress.js';
import { renderOperation } from '../render-operation.js';

/** `kc rollback R [REVISION]` and `kc uninstall R`. */
export function registerRollback(program: Command, io: CliIO): void {
  const rb = program
    .command('rollback')
    .description('roll a release back to a previous revision (default: the one before the latest, or the latest if it was uninstalled with --keep-history)')
    .argument('<release>', 'release name')
    .argument('[revision]', 'revision number');
  addClusterFlags(rb);
  addOperationFlags(rb);
  rb.action(async (release: string, revision: string | undefined, flags: ClusterFlagValues & OperationFlagValues) => {
    const n = parseRevision(revision, `revision "${revision}"`);
    const result = await rollback(io.ctx, { release, revision: n, ...flags, ...operationOptions(flags, io.signal, progressReporter(io)) });
    io.stdout(renderOperation(result, io.isTTY));
  });

  const un = program
    .command('uninstall')
    .description('delete a release\'s objects and its history')
    .argument('<release>', 'release name')
    .option('--keep-history', 'keep the release records (status uninstalled)')
    .option('--include-crds', 'also delete the release\'s CustomResourceDefinitions and so all their custom resources')
    .option('--wait-for-lock [duration]', 'wait for another operation on the release to finish');
  addClusterFlags(un);
  un.action(async (release: string, flags: ClusterFlagValues & { keepHistory?: boolean; includeCrds?: boolean; waitForLock?: string | boolean }) => {
    const waitForLockMs = typeof flags.waitForLock === 'string' ? parseDuration(flags.waitForLock, '--wait-for-lock') : flags.waitForLock ? 300_000 : 0;
    const result = await uninstall(io.ctx, { release, ...flags, waitForLockMs });
    io.stdout(`release "${release}" uninstalled: deleted ${result.deleted.length} object(s)${result.historyKept ? ', history kept' : ''}\n`);
    for (const ref of result.kept) io.stdout(`  kept ${describeRef(ref)} (resource policy keep, or a CRD without --include-crds)\n`);
  });
}
