import type { Command } from 'commander';
import { getRecord, manifestText, valuesOf } from '../../src/actions/get.js';
import { toYaml } from '../../src/synth/index.js';
import { addClusterFlags, type ClusterFlagValues } from '../cluster-flags.js';
import type { CliIO } from '../io.js';
import { outputFormat } from '../output.js';

type Flags = ClusterFlagValues & { revision?: string; showSecrets?: boolean; all?: boolean; output?: string };

/** `kc get manifest|values|notes R`: what a revision stored. */
export function registerGet(program: Command, io: CliIO): void {
  const get = program.command('get').description('show what a release revision stored');
  const sub = (name: string, description: string, render: (flags: Flags, record: Awaited<ReturnType<typeof getRecord>>) => string) => {
    const cmd = get.command(name).description(description).argument('<release>', 'release name').option('--revision <n>', 'revision (default: the latest)');
    addClusterFlags(cmd);
    if (name !== 'notes') cmd.option('--show-secrets', 'show secret values instead of placeholders');
    if (name === 'values') cmd.option('-a, --all', 'all computed values, not only the ones supplied').option('-o, --output <format>', 'yaml or json');
    cmd.action(async (release: string, flags: Flags) => {
      const record = await getRecord(io.ctx, { release, ...flags, revision: flags.revision ? Number(flags.revision) : undefined });
      io.stdout(render(flags, record));
    });
    cmd.exitOverride();
  };
  sub('manifest', 'the objects of a revision, as applied (Secret data redacted)', (f, r) => manifestText(r, Boolean(f.showSecrets)));
  sub('values', 'the values a revision was rendered with (secret fields redacted)', (f, r) => {
    const values = valuesOf(r, f);
    return outputFormat(f.output) === 'json' ? JSON.stringify(values, null, 2) + '\n' : toYaml(values);
  });
  sub('notes', 'the chart\'s notes for a revision', (_f, r) => (r.notes ? r.notes + '\n' : '(the chart has no notes)\n'));
}
