import type { Command } from 'commander';
import { defaultValuesYaml, showChart } from '../../src/actions/show.js';
import type { CliIO } from '../io.js';
import { addRegistryFlags, addVerifyFlags, registryOptions, type RegistryFlagValues } from '../registry-flags.js';
import { addDraftFlag, schemaText, type SchemaDraft } from '../schema-output.js';
import { terminalSafeLines, yamlSafe } from '../terminal-safe.js';
import { valuesModeline } from '../values-modeline.js';

type Flags = RegistryFlagValues & { version?: string };
const CHART_ARG = 'chart directory, .tgz, repo/chart or oci://HOST/PATH/NAME[:TAG]';
const optionsOf = (flags: Flags) => ({ version: flags.version, registry: registryOptions(flags) });

/** `kc show chart|values|schema|readme CHART`: what a chart declares, without a cluster. */
export function registerShow(program: Command, io: CliIO): void {
  const show = program.command('show').description('show what a chart declares, without a cluster');
  show
    .command('values')
    .description('the chart\'s default values as commented YAML (like helm show values)')
    .argument('<chart>', CHART_ARG)
    .action(async (chart: string, flags: Flags) => {
      const yaml = defaultValuesYaml(await showChart(io.ctx, chart, optionsOf(flags)));
      io.stdout(valuesModeline(chart, flags) + yaml);
    });
  const schema = show
    .command('schema')
    .description('the JSON Schema of the chart\'s values (from its zod schema)')
    .argument('<chart>', CHART_ARG);
  addDraftFlag(schema).action(async (chart: string, flags: Flags & { draft: SchemaDraft }) => {
    const { jsonSchema } = await showChart(io.ctx, chart, optionsOf(flags));
    io.stdout(schemaText(jsonSchema, flags.draft));
  });
  show
    .command('chart')
    .description('the chart\'s name, version and description')
    .argument('<chart>', CHART_ARG)
    .action(async (chart: string, flags: Flags) => {
      io.stdout(yamlSafe((await showChart(io.ctx, chart, optionsOf(flags))).chart));
    });
  show
    .command('readme')
    .description('the chart\'s README')
    .argument('<chart>', CHART_ARG)
    .action(async (chart: string, flags: Flags) => {
      // A README from a repository may hold escape sequences: shown, never run by the terminal.
      const readme = (await showChart(io.ctx, chart, { ...optionsOf(flags), readme: true })).readme;
      io.stdout(readme === undefined ? '(this chart has no README.md)\n' : terminalSafeLines(readme));
    });
  for (const cmd of show.commands) {
    cmd.option('--version <range>', 'version or range of a repository or oci:// chart (default: the newest stable)');
    addRegistryFlags(cmd);
    addVerifyFlags(cmd);
    cmd.exitOverride();
  }
}
