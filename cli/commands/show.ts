import type { Command } from 'commander';
import { defaultValuesYaml, showChart } from '../../src/actions/show.js';
import { toYaml } from '../../src/synth/index.js';
import type { CliIO } from '../io.js';

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
    .action(async (chart: string) => io.stdout(JSON.stringify((await showChart(io.ctx, chart)).jsonSchema, null, 2) + '\n'));
  show
    .command('chart')
    .description('the chart\'s name, version and description')
    .argument('<chart>', 'chart directory')
    .action(async (chart: string) => io.stdout(toYaml((await showChart(io.ctx, chart)).chart)));
  show
    .command('readme')
    .description('the chart\'s README')
    .argument('<chart>', 'chart directory')
    .action(async (chart: string) => io.stdout((await showChart(io.ctx, chart)).readme ?? '(this chart has no README.md)\n'));
  for (const cmd of show.commands) cmd.exitOverride();
}
