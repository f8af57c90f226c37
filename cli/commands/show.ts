import type { Command } from 'commander';
import { defaultValuesYaml, showChart } from '../../src/actions/show.js';
import type { CliIO } from '../io.js';
import { jsonSafe, terminalSafeLines, yamlSafe } from '../terminal-safe.js';

/** `kc show chart|values|schema|readme CHART`: what a chart declares, without a cluster. */
export function registerShow(program: Command, io: CliIO): void {
  const show = program.command('show').description('show what a chart declares, without a cluster');
  show
    .command('values')
    .description('the chart\'s default values as commented YAML (like helm show values)')
    .argument('<chart>', 'chart directory')
    .action(async (chart: string) => io.stdout(defaultValuesYaml(await showChart(io.ctx, chart))));
  show
    .command('schema')
    .description('the JSON Schema of the chart\'s values (from its zod schema)')
    .argument('<chart>', 'chart directory')
    .action(async (chart: string) => {
      const { jsonSchema } = await showChart(io.ctx, chart);
      io.stdout(jsonSafe(JSON.stringify(jsonSchema, null, 2)) + '\n');
    });
  show
    .command('chart')
    .description('the chart\'s name, version and description')
    .argument('<chart>', 'chart directory')
    .action(async (chart: string) => io.stdout(yamlSafe((await showChart(io.ctx, chart)).chart)));
  show
    .command('readme')
    .description('the chart\'s README')
    .argument('<chart>', 'chart directory')
    .action(async (chart: string) => {
      // A README from a repository may hold escape sequences: shown, never run by the terminal.
      const readme = (await showChart(io.ctx, chart)).readme;
      io.stdout(readme === undefined ? '(this chart has no README.md)\n' : terminalSafeLines(readme));
    });
  for (const cmd of show.commands) cmd.exitOverride();
}
