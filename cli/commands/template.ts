import type { Command } from 'commander';
import { addValueFlags } from '../flags.js';
import type { CliIO } from '../io.js';
import { addRegistryFlags, addVerifyFlags, registryOptions, type RegistryFlagValues } from '../registry-flags.js';
import { renderLocked } from '../render-dependencies.js';

/** `kc template RELEASE CHART`: render a chart to YAML without a cluster (Helm's `helm template`). */
export function registerTemplate(program: Command, io: CliIO): void {
  const cmd = program
    .command('template')
    .description('render a chart as a release to YAML locally, without a cluster')
    .argument('<release>', 'release name')
    .argument('<chart>', 'chart: a directory, a packaged .tgz, repo/chart, or oci://HOST/PATH/NAME[:TAG]')
    .option('-n, --namespace <ns>', 'namespace for namespaced objects')
    .option('--version <range>', 'version range of a repository chart (default: the newest stable)')
    .option('--skip-tests', 'leave out the chart\'s test hooks')
    .option('--dependency-update', "first run `kc dependency update` when the chart directory's kc.lock.json is stale")
    .option('--debug', 'print the merged values to stderr, each with the layer that set it (secrets redacted)');
  addRegistryFlags(cmd);
  addVerifyFlags(cmd);
  const values = addValueFlags(cmd);
  type Flags = RegistryFlagValues & { namespace?: string; version?: string; skipTests?: boolean; debug?: boolean };
  type TemplateFlags = Flags & { dependencyUpdate?: boolean };
  cmd.action(async (release: string, chart: string, opts: TemplateFlags) => {
    const { namespace, version, skipTests, dependencyUpdate } = opts;
    const registry = registryOptions(opts);
    const how = { namespace, version, registry, skipTests, dependencyUpdate };
    const { template } = await import('../../src/actions/template.js');
    const result = await template(io.ctx, { release, chart, ...how, ...values });
    io.stderr(renderLocked(result.dependencies));
    if (opts.debug) io.stderr((await import('../render-provenance.js')).renderProvenance([result.release]));
    io.stdout(result.yaml);
  });
}
