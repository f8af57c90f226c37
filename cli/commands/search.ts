import type { Command } from 'commander';
import { isOciReference } from '../../src/oci/reference.js';
import { addRegistryFlags, registryOptions, type RegistryFlagValues } from '../registry-flags.js';
import type { CliIO } from '../io.js';
import { formatData, outputFormat, table } from '../output.js';
import { safe } from '../terminal-safe.js';

type Flags = RegistryFlagValues & { versions?: boolean; version?: string; output?: string };

/** `kc search repo [KEYWORD]` (Helm 2's `kc search KEYWORD` too): charts in the added repositories' cached indexes. */
export function registerSearch(program: Command, io: CliIO): void {
  program.enablePositionalOptions();
  const search = program
    .command('search')
    .description('search for charts')
    .addHelpText('after', '\n`kc search KEYWORD` (Helm 2\'s spelling) is `kc search repo KEYWORD`.');
  // The default subcommand: a first word that names no subcommand is repo's keyword, as Helm 2's `helm search`.
  const repo = search
    .command('repo', { isDefault: true })
    .description(
      'search the added repositories by name, description and keywords (run `kc repo update` first for fresh results)',
    )
    .argument('[keyword]', 'text to look for (case-insensitive); all charts when omitted')
    .option('--versions', 'list every version, not only the newest')
    .option('--version <range>', 'only versions in this semver range')
    .option('-o, --output <format>', 'table, json or yaml')
    .addHelpText(
      'after',
      `
With oci://HOST/PATH/NAME as the keyword, it lists that chart's versions in the registry (its semver tags).`,
    );
  addRegistryFlags(repo);
  repo.action(async (keyword: string | undefined, flags: Flags) => {
    const format = outputFormat(flags.output);
    const query = { versions: flags.versions, range: flags.version };
    const registry = registryOptions(flags);
    const { searchRegistry, searchRepo } = await import('../../src/actions/search.js');
    const { hits, unsearched } =
      keyword && isOciReference(keyword)
        ? { hits: await searchRegistry(io.ctx, keyword, { ...query, registry }), unsearched: [] }
        : searchRepo(io.ctx, { keyword, ...query });
    for (const name of unsearched) {
      io.stderr(safe`warning: repository "${name}" has no cached index; run \`kc repo update ${name}\`\n`);
    }
    if (format === 'table' && hits.length === 0) return io.stderr('No results found\n');
    io.stdout(
      formatData(format, hits, () =>
        table(
          ['NAME', 'CHART VERSION', 'APP VERSION', 'DESCRIPTION'],
          hits.map((h) => [h.name, h.version, h.appVersion ?? '', h.description ?? '']),
        ),
      ),
    );
  });
  for (const cmd of search.commands) cmd.exitOverride();
}
