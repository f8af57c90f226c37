import type { Command } from 'commander';
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
    .option('-d, --destination <dir>', 'folder to write the .tgz into', '.')
    .option('--untar', 'unpack the chart into UNTARDIR/NAME instead of keeping the .tgz')
    .option('--untardir <dir>', 'with --untar: folder to unpack into, relative to --destination', '.');
  addRegistryFlags(cmd);
  addVerifyFlags(cmd);
  type PullFlags = RegistryFlagValues & { version?: string; destination: string; untar?: boolean; untardir: string };
  cmd.action(async (chart: string, flags: PullFlags) => {
    const { version, destination, untar, untardir: untarDir } = flags;
    const options = { chart, version, destination, untar, untarDir, registry: registryOptions(flags) };
    const { pull } = await import('../../src/actions/pull.js');
    const result = await pull(io.ctx, options);
    const file = displayPath(io.ctx.cwd, result.file);
    const origin = result.origin ? safe`Pulled from: ${result.origin.source}\nDigest: ${result.origin.digest}\n` : '';
    const { name, version: pulled } = result.manifest;
    io.stdout(
      safe`Pulled ${name} ${pulled} ${untar ? 'into' : 'to'} ${file}\n` + origin + `sha256: ${result.digest}\n`,
    );
  });
}
