import type { Command } from 'commander';
import { pull } from '../../src/actions/pull.js';
import type { CliIO } from '../io.js';
import { displayPath } from './package.js';
import { safe } from '../terminal-safe.js';

/** `kc pull repo/chart`: download a verified chart archive. */
export function registerPull(program: Command, io: CliIO): void {
  program.enablePositionalOptions();
  program
    .command('pull')
    .description('download a chart archive from a repository (digest checked against its index) or a URL')
    .argument('<chart>', 'repo/chart or an http(s) URL of a .tgz')
    .option('--version <range>', 'semver version or range (default: the newest stable version)')
    .option('-d, --destination <dir>', 'folder to write the .tgz into', '.')
    .action(async (chart: string, flags: { version?: string; destination: string }) => {
      const result = await pull(io.ctx, { chart, version: flags.version, destination: flags.destination });
      const file = displayPath(io.ctx.cwd, result.file);
      io.stdout(safe`Pulled ${result.manifest.name} ${result.manifest.version} to ${file}\nsha256: ${result.digest}\n`);
    });
}
