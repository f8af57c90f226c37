import type { Command } from 'commander';
import type { ChartSummary } from '../../src/actions/show.js';
import { toDraft07 } from '../../src/values/draft-07.js';
import type { CliIO } from '../io.js';
import { formatData, outputFormat } from '../output.js';
import { addRegistryFlags, addVerifyFlags, registryOptions, type RegistryFlagValues } from '../registry-flags.js';
import { addDraftFlag, schemaText, type SchemaDraft } from '../schema-output.js';
import { terminalSafeLines, yamlSafe } from '../terminal-safe.js';
import { valuesModeline } from '../values-modeline.js';

type Flags = RegistryFlagValues & { version?: string; output?: string };
const CHART_ARG = 'chart directory, .tgz, repo/chart or oci://HOST/PATH/NAME[:TAG]';
const optionsOf = (flags: Flags) => ({ version: flags.version, registry: registryOptions(flags) });

/** What the subcommands use, loaded when one runs (chart loading, the bundle runner). */
type Lib = typeof import('../../src/actions/show.js') & typeof import('../show-json.js');

/** A README as the terminal is given it: escape sequences from a repository shown, never run. */
const readmeText = (readme: string | undefined) =>
  readme === undefined ? '(this chart has no README.md)\n' : terminalSafeLines(readme);

/**
 * Adds `-o json|yaml` to a show subcommand: validated before the chart is read, then `data` is printed as JSON or
 * YAML, or without -o the text `text` makes.
 */
function withOutput<F extends Flags>(
  cmd: Command,
  io: CliIO,
  help: string,
  read: (chart: string, flags: F, lib: Lib) => Promise<ChartSummary>,
  data: (summary: ChartSummary, flags: F, lib: Lib) => unknown,
  text: (summary: ChartSummary, chart: string, flags: F, lib: Lib) => string,
): void {
  cmd.option('-o, --output <format>', help).action(async (chart: string, flags: F) => {
    const format = outputFormat(flags.output);
    const lib: Lib = { ...(await import('../../src/actions/show.js')), ...(await import('../show-json.js')) };
    const summary = await read(chart, flags, lib);
    io.stdout(formatData(format, data(summary, flags, lib), () => text(summary, chart, flags, lib)));
  });
}

/** `kc show chart|values|schema|readme|all CHART`: what a chart declares, without a cluster. */
export function registerShow(program: Command, io: CliIO): void {
  const show = program.command('show').description('show what a chart declares, without a cluster');
  const summary = (chart: string, flags: Flags, lib: Lib) => lib.showChart(io.ctx, chart, optionsOf(flags));
  const withReadme = (chart: string, flags: Flags, lib: Lib) =>
    lib.showChart(io.ctx, chart, { ...optionsOf(flags), readme: true });
  withOutput(
    show
      .command('values')
      .description("the chart's default values as commented YAML (like helm show values)")
      .argument('<chart>', CHART_ARG),
    io,
    'json or yaml: the default values as data, without comments (default: commented YAML)',
    summary,
    (s) => s.defaults,
    (s, chart, flags, lib) => valuesModeline(chart, flags) + lib.defaultValuesYaml(s),
  );
  const schema = show
    .command('schema')
    .description("the JSON Schema of the chart's values (from its zod schema)")
    .argument('<chart>', CHART_ARG);
  withOutput<Flags & { draft: SchemaDraft }>(
    addDraftFlag(schema),
    io,
    'json (the default) or yaml',
    summary,
    (s, flags) => (flags.draft === '07' ? toDraft07(s.jsonSchema) : s.jsonSchema),
    (s, _chart, flags) => schemaText(s.jsonSchema, flags.draft),
  );
  withOutput(
    show.command('chart').description("the chart's name, version and description").argument('<chart>', CHART_ARG),
    io,
    'yaml (the default) or json',
    summary,
    (s) => s.chart,
    (s) => yamlSafe(s.chart),
  );
  withOutput(
    show.command('readme').description("the chart's README").argument('<chart>', CHART_ARG),
    io,
    "json or yaml: a Readme document with the chart's name and version (default: the text)",
    withReadme,
    (s, _flags, lib) => lib.readmeDocument(s),
    (s) => readmeText(s.readme),
  );
  // Helm's `show all`: the chart, its values and its README, separated as YAML documents are.
  withOutput(
    show.command('all').description("the chart's metadata, default values and README").argument('<chart>', CHART_ARG),
    io,
    'json or yaml: a Chart document with the values schema too (default: the parts as text)',
    withReadme,
    (s, _flags, lib) => lib.chartDocument(s),
    (s, _chart, _flags, lib) => [yamlSafe(s.chart), lib.defaultValuesYaml(s), readmeText(s.readme)].join('---\n'),
  );
  for (const cmd of show.commands) {
    cmd.option('--version <range>', 'version or range of a repository or oci:// chart (default: the newest stable)');
    addRegistryFlags(cmd);
    addVerifyFlags(cmd);
    cmd.exitOverride();
  }
}
