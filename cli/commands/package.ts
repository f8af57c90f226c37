import path from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { safe } from '../terminal-safe.js';

/** A path as the user would type it: relative below the current directory, absolute elsewhere. */
export function displayPath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** `kc package CHART_DIR`: a versioned, deterministic chart artifact (.tgz). */
export function registerPackage(program: Command, io: CliIO): void {
  // kc's own --version is only recognized before a command, so commands can take --version (a chart version).
  program.enablePositionalOptions();
  program
    .command('package')
    .description('bundle a chart directory into a versioned artifact <name>-<version>.tgz (same source, same bytes)')
    .argument('<chart>', 'chart directory (package.json names and versions it)')
    .option('--version <version>', 'set the chart version (default: package.json\'s)')
    .option('--app-version <version>', 'set the appVersion (default: package.json\'s)')
    .option('-d, --destination <dir>', 'folder to write the .tgz into', '.')
    .action(async (chart: string, flags: { version?: string; appVersion?: string; destination: string }) => {
      const { packageChart } = await import('../../src/actions/package.js');
      const result = await packageChart(io.ctx, { chart, version: flags.version, appVersion: flags.appVersion, destination: flags.destination });
      const file = displayPath(io.ctx.cwd, result.file);
      const { name, version } = result.manifest;
      io.stdout(safe`Packaged ${name} ${version} to ${file}\nsha256: ${result.digest}\n`);
    });
}
