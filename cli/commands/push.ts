import type { Command } from 'commander';
import { KcError } from '../../src/errors/index.js';
import type { CliIO } from '../io.js';
import { keyPassword } from '../key-password.js';
import { formatData, outputFormat } from '../output.js';
import { addRegistryFlags, registryOptions, type RegistryFlagValues } from '../registry-flags.js';
import { safe } from '../terminal-safe.js';

type ConnectionFlags = Omit<RegistryFlagValues, 'key' | 'verify'>;
type PushFlags = ConnectionFlags & { sign?: boolean; key?: string; output?: string };

/** Only the connection flags: --key here is a private key, not a key to verify with. */
const connection = (f: ConnectionFlags) =>
  registryOptions({ plainHttp: f.plainHttp, caFile: f.caFile, insecureSkipTlsVerify: f.insecureSkipTlsVerify });

const PUSH_EXAMPLES = `
Examples:
  kc push charts/mysql oci://127.0.0.1:5000/charts --plain-http
  kc push mysql-1.0.0.tgz oci://registry.example.com/charts --sign --key cosign.key

The chart goes to oci://HOST/PATH/<name>:<version>. Credentials come from \`kc registry login\` (Docker's
config.json, credential helpers). COSIGN_PASSWORD gives the password of an encrypted key.`;

/** `kc push` and `kc sign`: charts into OCI registries, and cosign-compatible signatures of them. */
export function registerPush(program: Command, io: CliIO): void {
  const p = program
    .command('push')
    .description('push a chart (directory or .tgz) to an OCI registry; prints its digest')
    .argument('<chart>', 'chart directory or .tgz made by `kc package`')
    .argument('<repository>', 'oci://HOST/PATH (the chart is stored as PATH/<name>:<version>)')
    .option('--sign', 'sign the pushed digest with --key (a cosign private key)')
    .option('--key <file>', 'cosign private key for --sign')
    .option('-o, --output <format>', 'table (text), json or yaml')
    .addHelpText('after', PUSH_EXAMPLES);
  addRegistryFlags(p);
  p.action(async (chart: string, repository: string, flags: PushFlags) => {
    const format = outputFormat(flags.output);
    const key = flags.key;
    if (flags.sign && !key)
      throw new KcError('USAGE', '--sign needs --key', { hint: 'pass --key cosign.key (a cosign private key)' });
    if (key && !flags.sign)
      throw new KcError('USAGE', '--key is for --sign', { hint: 'add --sign to sign the pushed chart' });
    const { push } = await import('../../src/actions/push.js');
    const result = await push(io.ctx, {
      chart,
      destination: repository,
      registry: connection(flags),
      ...(key ? { sign: { key, password: keyPassword() } } : {}),
    });
    const { name, version } = result.manifest;
    const signature = result.signature ? { signature: result.signature } : {};
    const data = { reference: result.reference, digest: result.digest, name, version, ...signature };
    io.stdout(
      formatData(format, data, () => {
        const lines = [safe`Pushed: ${result.reference}`, `Digest: ${result.digest}`];
        if (result.signature) lines.push(safe`Signed: ${result.signature}`);
        return lines.join('\n') + '\n';
      }),
    );
  });

  const s = program
    .command('sign')
    .description('sign a chart in an OCI registry with a cosign key (cosign verify --key accepts it)')
    .argument('<reference>', 'oci://HOST/PATH/NAME:TAG or oci://HOST/PATH/NAME@sha256:DIGEST')
    .requiredOption('--key <file>', 'cosign private key (COSIGN_PASSWORD gives its password)');
  addRegistryFlags(s);
  s.action(async (reference: string, flags: ConnectionFlags & { key: string }) => {
    const { sign } = await import('../../src/actions/sign.js');
    const result = await sign(io.ctx, {
      reference,
      key: flags.key,
      password: keyPassword(),
      registry: connection(flags),
    });
    io.stdout(safe`Signed: ${reference}\nDigest: ${result.digest}\nSignature: ${result.signature}\n`);
  });
}
