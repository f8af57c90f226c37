import type { Command } from 'commander';
import { pull } from '../../src/actions/pull.js';
import type { CliIO } from '../io.js';
import { displayPath } from './package.js';
import { safe } from '../terminal-safe.js';
import { addRegistryFlags, addVerifyFlags, registryOptions, type RegistryFlagValues } from '../registry-flags.js';

/** `kc pull repo/chart`: download a verified chart archive. */
export function registerPull(program: Command, io: CliIO): void {
  program.enablePositionalOptions();
  const cmd = program
    .command('pull')
    .description('download a chart archive from a repository (digest checked against its index), a URL or a registry')
    .argument('<chart>', 'repo/chart, an http(s) URL of a .tgz, or oci://HOST/PATH/NAME[:TAG|@sha256:DIGEST]')
    .option('--version <range>', 'semver version or range (default: the newest stable version)')
    .option('-d, --destination <dir>', 'folder to write the .tgz into', '.');
  addRegistryFlags(cmd);
  addVerifyFlags(cmd);
  cmd.action(async (chart: string, flags: RegistryFlagValues & { version?: string; destination: string }) => {
    const options = { chart, version: flags.version, destination: flags.destination, registry: registryOptions(flags) };
    const result = await pull(io.ctx, options);
    const file = displayPath(io.ctx.cwd, result.file);
    const origin = result.origin ? safe`Pulled from: ${result.origin.source}\nDigest: ${result.origin.digest}\n` : '';
    const { name, version } = result.manifest;
    io.stdout(safe`Pulled ${name} ${version} to ${file}\n` + origin + `sha256: ${result.digest}\n`);
  });
}
