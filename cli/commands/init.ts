import path from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { terminalSafeLines } from '../terminal-safe.js';

/** `kc init [DIR]`: a new project with dev and prod environments and one chart. */
export function registerInit(program: Command, io: CliIO): void {
  program
    .command('init')
    .description('create a project: kc.config.ts (dev and prod), app.ts, a chart under charts/, package.json, tsconfig.json, README')
    .argument('[dir]', 'project directory (created when missing)', '.')
    .option('--name <name>', 'project name (default: the directory name)')
    .option('--chart <name>', 'name of the first chart and release (default: the project name)')
    .option('--force', 'overwrite existing files')
    .action(async (dir: string, flags: { name?: string; chart?: string; force?: boolean }) => {
      const { init } = await import('../../src/actions/init.js');
      const result = init(io.ctx, { dir, ...flags });
      const rel = (p: string) => path.relative(io.ctx.cwd, p) || '.';
      const lines = [`Created project ${result.name} in ${rel(result.dir)}:`, ...result.files.map((f) => `  ${rel(f)}`), '', 'Next:'];
      if (rel(result.dir) !== '.') lines.push(`  cd ${rel(result.dir)}`);
      lines.push('  kc synth --env dev       # the YAML of the dev environment', '  kc lint                  # type-check and validate every environment', '  kc deploy --env dev      # deploy to the current kube context');
      io.stdout(terminalSafeLines(lines.join('\n')) + '\n'); // paths are the user's
    });
}
