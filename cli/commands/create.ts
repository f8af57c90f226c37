import path from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { terminalSafeLines } from '../terminal-safe.js';

/** `kc create NAME`: a new chart (Helm's `helm create`). */
export function registerCreate(program: Command, io: CliIO): void {
  program
    .command('create')
    .description('create a chart: Deployment, Service, optional Ingress/HPA/ServiceAccount, zod values, notes, tests, README')
    .argument('<name>', 'chart name (lowercase letters, digits and "-")')
    .option('-d, --dir <dir>', 'directory to create the chart in (default: charts/ inside a project, else the current one)')
    .option('--force', 'overwrite existing files')
    .action(async (name: string, flags: { dir?: string; force?: boolean }) => {
      const { create } = await import('../../src/actions/create.js');
      const result = create(io.ctx, { name, ...flags });
      const rel = (p: string) => path.relative(io.ctx.cwd, p) || '.';
      const lines = [
        `Created chart ${result.name} in ${rel(result.dir)}:`,
        ...result.files.map((f) => `  ${rel(f)}`),
        '',
        'Use it from an app:',
        `  import { ${result.className} } from './${path.posix.join(...rel(result.dir).split(path.sep))}/index.js';`,
        `  new ${result.className}(app, '${result.name}', {});`,
        `Or render it alone: kc template ${result.name} ${rel(result.dir)}`,
      ];
      io.stdout(terminalSafeLines(lines.join('\n')) + '\n'); // paths are the user's
    });
}
