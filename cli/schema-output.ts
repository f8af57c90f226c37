import { Option, type Command } from 'commander';
import { toDraft07 } from '../src/values/draft-07.js';
import { jsonSafe } from './terminal-safe.js';

/** The JSON Schema drafts `kc values schema` and `kc show schema` write. */
export type SchemaDraft = '2020-12' | '07';

/** Adds `--draft 2020-12|07`: 07 for editors and validators that know no later draft. */
export function addDraftFlag(cmd: Command): Command {
  return cmd.addOption(
    new Option('--draft <version>', 'JSON Schema draft to write (07 for editors that need draft-07)')
      .choices(['2020-12', '07'])
      .default('2020-12'),
  );
}

/** A chart's values schema (as stored: 2020-12) as printed, in the draft asked for. */
export function schemaText(jsonSchema: Record<string, unknown>, draft: SchemaDraft = '2020-12'): string {
  const schema = draft === '07' ? toDraft07(jsonSchema) : jsonSchema;
  return jsonSafe(JSON.stringify(schema, null, 2)) + '\n';
}
