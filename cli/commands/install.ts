import type { Command } from 'commander';
import type { InstallOptions, InstallResult } from '../../src/actions/install.js';
import { addClusterFlags, addOperationFlags, operationOptions, type ClusterFlagValues, type OperationFlagValues } from '../cluster-flags.js';
import { addValueFlags } from '../flags.js';
import { colorFor, type CliIO } from '../io.js';
import { addEnvFlags, clusterOf, type EnvFlagValues } from '../env-flags.js';
import { progressReporter } from '../progress.js';
import { formatData, outputFormat, type OutputFormat } from '../output.js';
import { dryRunMode } from '../dry-run.js';
import { KcError } from '../../src/errors/index.js';
import { addRegistryFlags, addVerifyFlags, registryOptions, type RegistryFlagValues } from '../registry-flags.js';
import { addHelmInstallFlags, installArguments, releaseAndChart, type HelmInstallFlagValues } from '../helm-aliases.js';
import { safe } from '../terminal-safe.js';
import { renderLocked } from '../render-dependencies.js';

type Flags = ClusterFlagValues & EnvFlagValues & OperationFlagValues & RegistryFlagValues & HelmInstallFlagValues & { version?: string; debug?: boolean; dryRun?: string | boolean; showSecrets?: boolean; reuseValues?: boolean; resetThenReuseValues?: boolean; resetValues?: boolean; install?: boolean; output?: string };

async function print(io: CliIO, result: InstallResult, showSecrets: boolean): Promise<void> {
  const { displayManifest } = await import('../../src/actions/get.js');
  const { renderOperation } = await import('../render-operation.js');
  if (result.dryRun) io.stdout(displayManifest(result.dryRun.objects, showSecrets));
  if (result.operation) io.stdout(renderOperation(result.operation, colorFor(io, 'stdout')));
}

interface PrintHow {
  release: string;
  name: 'install' | 'upgrade';
  dryRun?: 'client' | 'server';
  showSecrets: boolean;
}

/** -o json|yaml: the OperationResult document (cli/operation-json.ts) alone on stdout. */
async function printData(io: CliIO, format: OutputFormat, result: InstallResult, how: PrintHow): Promise<void> {
  const { operationDocument, planDocument } = await import('../operation-json.js');
  const { dryRun, operation } = result;
  const plan = dryRun && { ...dryRun, release: how.release, chart: dryRun.release.chart, notes: dryRun.release.notes };
  const data =
    plan && how.dryRun ? planDocument(plan, how.name, how.dryRun, how.showSecrets) : operationDocument(operation!, how.name);
  io.stdout(formatData(format, data, () => ''));
}

const ENV_HELP = 'environment of the project file: its namespace, kube context, kubeconfig and required signatures';

function register(program: Command, io: CliIO, name: 'install' | 'upgrade'): void {
  const cmd = program
    .command(name)
    .description(name === 'install' ? 'install a chart as a new release' : 'upgrade a release to a chart version or new values');
  installArguments(cmd, name, 'chart directory, .tgz artifact, http(s) URL, repo/chart, or oci://HOST/PATH/NAME[:TAG]')
    .option('--version <range>', 'version range of a repository chart (default: the newest stable)');
  addClusterFlags(cmd, { createNamespace: true });
  addOperationFlags(cmd);
  addHelmInstallFlags(cmd, name);
  cmd
    .option('--dry-run [mode]', 'render (client) or validate on the server (server) without changing anything')
    .option('--debug', 'with --dry-run: print the merged values to stderr, each with the layer that set it (secrets redacted)')
    .option('--show-secrets', 'with --dry-run: print Secret values instead of placeholders')
    .option('-o, --output <format>', 'table (text), json or yaml: the result as a kc.dev/v1 OperationResult document');
  if (name === 'upgrade') {
    cmd
      .option('-i, --install', 'install the release if it does not exist')
      .option('--reuse-values', 'the values you gave the previous revision over this chart\'s defaults, then -f/--set (Helm\'s --reset-then-reuse-values)')
      .option('--reset-then-reuse-values', 'the same as --reuse-values (Helm 3.14\'s name for what kc\'s --reuse-values does)')
      .option('--reset-values', 'start from the chart\'s defaults (the default)')
      .option('--reapply', 'apply even when the chart and values are those deployed (undoes changes made outside kc)');
  }
  addEnvFlags(cmd, ENV_HELP);
  addRegistryFlags(cmd);
  addVerifyFlags(cmd);
  const values = addValueFlags(cmd);
  cmd.action(async (first: string | undefined, second: string | undefined, flags: Flags) => {
    // install -g takes the chart alone; upgrade's arguments are both required by commander.
    const { release, chart } = name === 'install' ? releaseAndChart(first, second, flags.generateName) : { release: first!, chart: second! };
    // kc's --reuse-values already puts a chart's new defaults under the reused values, which Helm calls --reset-then-reuse-values.
    if (flags.resetThenReuseValues) flags.reuseValues = true;
    const format = outputFormat(flags.output);
    if (flags.reuseValues && flags.resetValues) throw new KcError('USAGE', '--reuse-values and --reset-values exclude each other', { hint: 'pass one of them' });
    const cluster = await clusterOf(io, flags);
    const options: InstallOptions = {
      release,
      chart,
      ...flags,
      kubeconfig: cluster.kubeconfig,
      context: cluster.context,
      namespace: cluster.namespace,
      ...operationOptions(flags, io.signal, progressReporter(io)),
      ...values,
      registry: registryOptions(flags, cluster.verifyKeys),
      dryRun: dryRunMode(flags.dryRun),
    };
    const { install, upgrade } = await import('../../src/actions/install.js');
    const result = await (name === 'install' ? install : upgrade)(io.ctx, options);
    if (flags.debug && result.dryRun) {
      const { renderProvenance } = await import('../render-provenance.js');
      io.stderr(renderProvenance([result.dryRun.release]));
    }
    io.stderr(renderLocked(result.dependencies));
    // A dry run's stdout is the manifest: the generated name goes to stderr (an operation's summary starts with it).
    if (flags.generateName && result.dryRun && format === 'table') io.stderr(safe`NAME: ${result.release}\n`);
    const showSecrets = Boolean(flags.showSecrets);
    const how = { release: result.release, name, dryRun: options.dryRun, showSecrets };
    if (format !== 'table') await printData(io, format, result, how);
    else await print(io, result, showSecrets);
  });
}

/** `kc install R CHART` and `kc upgrade R CHART`. */
export function registerInstall(program: Command, io: CliIO): void {
  register(program, io, 'install');
  register(program, io, 'upgrade');
}
