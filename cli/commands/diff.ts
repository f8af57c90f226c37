import type { Command } from 'commander';
import { ExitCode, KcError } from '../../src/errors/index.js';
import { checkReleaseName } from '../../src/release/name.js';
import { addClusterFlags, type ClusterFlagValues } from '../cluster-flags.js';
import { addValueFlags } from '../flags.js';
import { colorFor, type CliIO } from '../io.js';
import { formatData, outputFormat } from '../output.js';
import { safe } from '../terminal-safe.js';
import { addRegistryFlags, addVerifyFlags, registryOptions, type RegistryFlagValues } from '../registry-flags.js';

type DiffFlags = ClusterFlagValues & RegistryFlagValues & {
  env?: string;
  only?: string[];
  reuseValues?: boolean;
  version?: string;
  showSecrets?: boolean;
  exitCode?: boolean;
  forceReplace?: boolean;
  output?: string;
};

/** `kc diff [PROJECT] --env E` or `kc diff R CHART`: what a deploy/upgrade would change. */
export function registerDiff(program: Command, io: CliIO): void {
  const cmd = program
    .command('diff')
    .description('show what deploy (PROJECT --env E) or upgrade (RELEASE CHART) would change, without changing anything')
    .argument('[target...]', 'PROJECT, or RELEASE CHART')
    .option('-e, --env <name>', 'environment (project mode)')
    .option('--only <release...>', 'only these releases')
    .option('--reuse-values', 'RELEASE CHART: start from the deployed revision\'s values, then apply -f/--set (as upgrade does)')
    .option('--version <range>', 'RELEASE CHART: version range of a repository chart (default: the newest stable)')
    .option('--show-secrets', 'show Secret values instead of placeholders')
    .option('--force-replace', 'as upgrade/deploy --force-replace: show objects refused as immutable as replaced')
    .option('--exit-code', `exit ${ExitCode.changesPending} when there are changes (0 when none)`)
    .option('-o, --output <format>', 'json or yaml: a kind Diff document of each object\'s change (default: text)');
  addClusterFlags(cmd);
  addRegistryFlags(cmd);
  addVerifyFlags(cmd);
  const values = addValueFlags(cmd);
  cmd.action(async (target: string[], flags: DiffFlags) => {
    const format = outputFormat(flags.output); // before anything is read
    if (target.length > 2) {
      throw new KcError('USAGE', `kc diff takes PROJECT or RELEASE CHART, not ${target.length} arguments`, { hint: 'e.g. `kc diff . --env prod` or `kc diff my-mysql charts/mysql`' });
    }
    const [a, b] = target;
    if (b !== undefined) checkReleaseName(a); // RELEASE CHART: before the release's history is read
    const { diff } = await import('../../src/actions/diff.js');
    const result = await diff(io.ctx, {
      ...(b ? { release: a, chart: b } : { project: a ?? '.' }),
      env: flags.env,
      only: flags.only,
      reuseValues: flags.reuseValues,
      version: flags.version,
      registry: registryOptions(flags),
      showSecrets: flags.showSecrets,
      forceReplace: flags.forceReplace,
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      namespace: flags.namespace,
      ...values,
    });
    if (flags.exitCode && result.hasChanges) io.exitCode = ExitCode.changesPending;
    if (format !== 'table') {
      const { diffDocument } = await import('../diff-json.js');
      io.stdout(formatData(format, diffDocument(result), () => ''));
      return;
    }
    const { renderDiff } = await import('../../src/diff/index.js');
    const { describeLeft } = await import('../../src/kube/owned-delete.js');
    for (const r of result.releases) {
      const command = b ? 'upgrade' : 'deploy';
      const note = r.removed
        ? ': no longer in the app, deploy uninstalls it'
        : r.drifted !== undefined
          ? `: changed outside kc since revision ${r.drifted} (same chart and values: \`${command}\` applies the changed objects again)`
          : '';
      const head = safe`# release ${r.release} (namespace ${r.namespace})`;
      io.stdout(`${head}${note}\n`);
      if (r.chartMoved) {
        const { source, deployed, now } = r.chartMoved;
        io.stdout(safe`# chart ${source} moved: deployed from ${deployed}, now ${now}\n`);
      }
      io.stdout(renderDiff(r.summary, { color: colorFor(io, 'stdout') }));
      for (const left of r.left ?? []) {
        io.stdout(safe`  would leave ${describeLeft(left)} (not deleted: the live object is not this release's)\n`);
      }
    }
  });
}
