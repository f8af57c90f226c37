import type { Command } from 'commander';
import { showChart } from '../../src/actions/show.js';
import type { CliIO } from '../io.js';
import { jsonSafe } from '../terminal-safe.js';

/** `kc values schema CHART`: the values JSON Schema, for editors and CI. */
export function registerValues(program: Command, io: CliIO): void {
  const values = program.command('values').description('work with chart values');
  values
    .command('schema')
    .description('print the JSON Schema of a chart\'s values (from its zod schema)')
    .argument('<chart>', 'chart directory')
    .action(async (chart: string) => {
      const { jsonSchema } = await showChart(io.ctx, chart);
      io.stdout(jsonSafe(JSON.stringify(jsonSchema, null, 2)) + '\n');
    });
  for (const cmd of values.commands) cmd.exitOverride();
}
