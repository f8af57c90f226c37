import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { displayPath } from './package.js';
import { formatData, outputFormat, table } from '../output.js';
import { safe } from '../terminal-safe.js';

/** `kc repo index|add|list|update|remove`: chart repositories. */
export function registerRepo(program: Command, io: CliIO): void {
  const repo = program.command('repo').description('publish and use chart repositories (an index.yaml served over http)');
  repo
    .command('index')
    .description('write DIR/index.yaml listing every chart archive in DIR (each verified)')
    .argument('<dir>', 'folder holding the .tgz files')
    .option('--url <url>', 'URL the folder is served from (entries get absolute URLs)')
    .option('--merge <file>', 'merge into this existing index (keeps its entries and their created times)')
    .action(async (dir: string, flags: { url?: string; merge?: string }) => {
      const { repoIndex } = await import('../../src/actions/repo.js');
      const result = await repoIndex(io.ctx, { dir, url: flags.url, merge: flags.merge });
      const indexed = result.indexed.length ? safe`: ${result.indexed.join(', ')}` : '';
      const file = displayPath(io.ctx.cwd, result.file);
      io.stdout(safe`Indexed ${result.indexed.length} chart archive(s) into ${file}` + `${indexed}\n`);
    });
  repo
    .command('add')
    .description('add a chart repository (its index is downloaded and checked)')
    .argument('<name>', 'name used in references: NAME/chart')
    .argument('<url>', 'repository URL (serves index.yaml)')
    .option('--force-update', 'replace the URL of an existing repository of that name')
    .action(async (name: string, url: string, flags: { forceUpdate?: boolean }) => {
      const { repoAdd } = await import('../../src/actions/repo.js');
      const { repository, charts } = await repoAdd(io.ctx, { name, url, forceUpdate: flags.forceUpdate });
      const count = `${charts} chart${charts === 1 ? '' : 's'}`;
      io.stdout(safe`"${repository.name}" has been added to your repositories (${count})\n`);
    });
  repo
    .command('list')
    .alias('ls')
    .description('the repositories added')
    .option('-o, --output <format>', 'table, json or yaml')
    .action(async (flags: { output?: string }) => {
      const format = outputFormat(flags.output);
      const { repoList } = await import('../../src/actions/repo.js');
      const { displayUrl } = await import('../../src/repo/redirect-policy.js');
      const repos = repoList(io.ctx);
      if (format === 'table' && repos.length === 0) return io.stderr('no repositories; add one with `kc repo add NAME URL`\n');
      // A URL may carry a user and password (https://user:pass@host/): never printed.
      const shown = repos.map((r) => ({ ...r, url: displayUrl(r.url) }));
      io.stdout(formatData(format, shown, () => table(['NAME', 'URL'], shown.map((r) => [r.name, r.url]))));
    });
  repo
    .command('update')
    .alias('up')
    .description('download the latest index of each repository (or of those named)')
    .argument('[names...]', 'repositories to update (default: all)')
    .action(async (names: string[]) => {
      const { repoUpdate } = await import('../../src/actions/repo.js');
      for (const r of await repoUpdate(io.ctx, names)) {
        const count = `${r.charts} chart${r.charts === 1 ? '' : 's'}`;
        io.stdout(safe`...Successfully got an update from the "${r.name}" chart repository (${count})\n`);
      }
      io.stdout('Update Complete.\n');
    });
  repo
    .command('remove')
    .alias('rm')
    .description('forget a repository and its cached index')
    .argument('<name>', 'repository name')
    .action(async (name: string) => {
      const { repoRemove } = await import('../../src/actions/repo.js');
      repoRemove(io.ctx, name);
      io.stdout(safe`"${name}" has been removed from your repositories\n`);
    });
  for (const cmd of repo.commands) cmd.exitOverride();
}
