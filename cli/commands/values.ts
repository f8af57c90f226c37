import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { addDraftFlag, schemaText, type SchemaDraft } from '../schema-output.js';

/** `kc values schema CHART`: the values JSON Schema, for editors and CI. */
export function registerValues(program: Command, io: CliIO): void {
  const values = program.command('values').description('work with chart values');
  const schema = values
    .command('schema')
    .description('print the JSON Schema of a chart\'s values (from its zod schema)')
    .argument('<chart>', 'chart directory');
  addDraftFlag(schema).action(async (chart: string, flags: { draft: SchemaDraft }) => {
    const { showChart } = await import('../../src/actions/show.js');
    const { jsonSchema } = await showChart(io.ctx, chart);
    io.stdout(schemaText(jsonSchema, flags.draft));
  });
  for (const cmd of values.commands) cmd.exitOverride();
}
