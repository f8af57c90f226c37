import { Option, type Command } from 'commander';
import { describeRef } from '../../src/kube/types.js';
import { addClusterFlags, type ClusterFlagValues } from '../cluster-flags.js';
import { parseDuration } from '../duration.js';
import type { CliIO } from '../io.js';
import { safe } from '../terminal-safe.js';

/** `kc adopt helm R`: a Helm release becomes a kc release. */
export function registerAdopt(program: Command, io: CliIO): void {
  const adopt = program.command('adopt').description('take a release another tool deployed into kc');
  const helm = adopt
    .command('helm')
    .description(
      "import a Helm 3/4 release's history (Secret driver) and take its live objects, without restarting any pod",
    )
    .argument('<release>', 'the Helm release name (the kc release gets the same name)')
    .option('--delete-helm-records', "delete Helm's record Secrets once kc's records are written (Helm forgets it)")
    .addOption(
      new Option(
        '--wait-for-lock [duration]',
        'wait for another operation on the release to finish (default 5m)',
      ).preset('5m'),
    );
  addClusterFlags(helm);
  type Flags = ClusterFlagValues & { deleteHelmRecords?: boolean; waitForLock?: string };
  helm.action(async (release: string, flags: Flags) => {
    const waitForLockMs = flags.waitForLock ? parseDuration(flags.waitForLock, '--wait-for-lock') : 0;
    // Loaded only when run: the Helm record decoder (gzip, schemas) is not part of kc's start-up.
    const { adoptHelm } = await import('../../src/actions/adopt-helm.js');
    const result = await adoptHelm(io.ctx, {
      ...flags,
      release,
      deleteHelmRecords: Boolean(flags.deleteHelmRecords),
      waitForLockMs,
      signal: io.signal,
    });
    const count = result.revisions.length;
    io.stdout(
      safe`Adopted Helm release "${result.release}" in namespace ${result.namespace}: ` +
        safe`${count} revision(s) imported, revision ${result.deployed} deployed\n`,
    );
    for (const r of result.revisions) io.stdout(safe`  revision ${r.revision}: ${r.status} (${r.chart})\n`);
    io.stdout(`kc now owns ${result.adopted.length} object(s) (nothing was restarted):\n`);
    for (const ref of result.adopted) io.stdout(safe`  ${describeRef(ref)}\n`);
    if (result.deletedHelmRecords.length > 0) {
      io.stdout(safe`Deleted Helm's records: ${result.deletedHelmRecords.join(', ')}\n`);
    } else {
      io.stdout(
        "Helm's records were kept: helm still lists the release (`helm uninstall` would delete these objects); " +
          'pass --delete-helm-records to remove them\n',
      );
    }
  });
  for (const cmd of adopt.commands) cmd.exitOverride();
}
