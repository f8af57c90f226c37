import type { Command } from 'commander';
import { KcError } from '../../src/errors/index.js';
import { isOciReference } from '../../src/oci/reference.js';
import { addValueFlags } from '../flags.js';
import type { CliIO } from '../io.js';
import { keyPassword } from '../key-password.js';
import { formatData, outputFormat } from '../output.js';
import { addRegistryFlags, registryOptions, type RegistryFlagValues } from '../registry-flags.js';
import { safe } from '../terminal-safe.js';

type PublishFlags = Omit<RegistryFlagValues, 'key' | 'verify'> & {
  env: string;
  namespace?: string;
  sign?: boolean;
  key?: string;
  output?: string;
};

const EXAMPLES = `
Examples:
  kc publish --env prod oci://127.0.0.1:5000/fleet/webapp --plain-http
  kc publish examples/webapp-with-db --env prod            # to the environment's gitops.repository
  kc publish --env prod --sign --key cosign.key -o json

One artifact in the layout Flux's OCIRepository reads (a folder per release, objects.yaml inside), tagged with the
environment's name. Same inputs, same digest (SOURCE_DATE_EPOCH sets the created time; default 1970-01-01).
Secrets are published SOPS-encrypted for the environment's gitops.sops.age recipients, or refused.`;

/** `[PROJECT] [oci://HOST/PATH]`: either may be left out; an oci:// argument is the repository. */
function positionals(first: string | undefined, second: string | undefined): { project: string; repository?: string } {
  if (first !== undefined && isOciReference(first)) {
    if (second !== undefined) {
      throw new KcError('USAGE', `kc publish takes the project before the repository (got ${first} ${second})`, {
        hint: 'kc publish [PROJECT] --env E [oci://HOST/PATH]',
      });
    }
    return { project: '.', repository: first };
  }
  return { project: first ?? '.', repository: second };
}

/** `kc publish [PROJECT] --env E [oci://HOST/PATH]`: the rendered environment as one OCI artifact for Flux. */
export function registerPublish(program: Command, io: CliIO): void {
  const cmd = program
    .command('publish')
    .description('render an environment as kc deploy would and push it as one OCI artifact for Flux; prints its digest')
    .argument('[project]', 'project directory (default: the current directory)')
    .argument(
      '[repository]',
      "oci://HOST/PATH (default: the environment's gitops.repository); the tag is the environment",
    )
    .requiredOption('-e, --env <name>', 'environment from the project file')
    .option('-n, --namespace <ns>', "namespace for namespaced objects (default: the environment's, else default)")
    .option('--sign', 'sign the pushed digest with --key (a cosign private key)')
    .option('--key <file>', 'cosign private key for --sign (COSIGN_PASSWORD gives its password)')
    .option('-o, --output <format>', 'table (text), json or yaml')
    .addHelpText('after', EXAMPLES);
  addRegistryFlags(cmd);
  const values = addValueFlags(cmd);
  cmd.action(async (first: string | undefined, second: string | undefined, flags: PublishFlags) => {
    const format = outputFormat(flags.output);
    if (flags.sign && !flags.key)
      throw new KcError('USAGE', '--sign needs --key', { hint: 'pass --key cosign.key (a cosign private key)' });
    if (flags.key && !flags.sign)
      throw new KcError('USAGE', '--key is for --sign', { hint: 'add --sign to sign the published artifact' });
    const { project, repository } = positionals(first, second);
    const { publishEnvironment } = await import('../../src/actions/publish.js');
    const result = await publishEnvironment(io.ctx, {
      project,
      env: flags.env,
      repository,
      namespace: flags.namespace,
      registry: registryOptions({
        plainHttp: flags.plainHttp,
        caFile: flags.caFile,
        insecureSkipTlsVerify: flags.insecureSkipTlsVerify,
      }),
      ...(flags.key ? { sign: { key: flags.key } } : {}),
      password: keyPassword(),
      ...values,
    });
    const data = {
      reference: result.reference,
      repository: result.repository,
      tag: result.tag,
      digest: result.digest,
      project: result.project,
      env: result.env,
      signed: result.signed,
      releases: result.releases.map((r) => ({
        name: r.name,
        namespace: r.namespace,
        path: r.path,
        dependsOn: r.dependsOn,
        objects: r.objects.length,
      })),
    };
    io.stdout(
      formatData(format, data, () => {
        const lines = [safe`Published: ${result.reference}`, `Digest: ${result.digest}`];
        if (result.signed) lines.push('Signed: yes');
        for (const r of result.releases) {
          const after = r.dependsOn.length ? safe` (after ${r.dependsOn.join(', ')})` : '';
          lines.push(safe`  ${r.path}: ${String(r.objects.length)} object(s) in ${r.namespace}` + after);
        }
        return lines.join('\n') + '\n';
      }),
    );
  });
}
