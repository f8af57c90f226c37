import readline from 'node:readline';
import type { Command } from 'commander';
import { KcError } from '../../src/errors/index.js';
import type { RegistryOptions } from '../../src/oci/options.js';
import type { CliIO } from '../io.js';
import { promptHidden } from '../key-password.js';
import { safe } from '../terminal-safe.js';

interface LoginFlags {
  username?: string;
  password?: string;
  passwordStdin?: boolean;
  plainHttp?: boolean;
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
  insecure?: boolean;
}

const LOGIN_EXAMPLES = `
Examples:
  echo "$TOKEN" | kc registry login ghcr.io -u USER --password-stdin
  kc registry login 127.0.0.1:5000 -u admin --plain-http        (asks for the password)
  kc registry login registry.example.com -u ci --password-stdin --ca-file ca.pem < password.txt

The registry checks the credentials first. They are kept where Docker keeps them, so docker, helm, oras and cosign
use them too: in the credential helper of $DOCKER_CONFIG/config.json (default ~/.docker/config.json) when it names one
(credHelpers, credsStore), else in its "auths" (base64, file mode 0600). kc also reads, but never writes, Helm's
registry config and podman's auth.json.`;

const LOGOUT_EXAMPLES = `
Examples:
  kc registry logout ghcr.io
  kc registry logout 127.0.0.1:5000`;

/** One line typed on the terminal, shown as typed (the user name). */
async function promptLine(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    rl.close();
  }
}

/** The user name and password from the flags, stdin or (on a terminal) prompts, as docker and helm take them. */
async function credentialsFrom(io: CliIO, flags: LoginFlags): Promise<{ username: string; password: string }> {
  if (flags.password !== undefined && flags.passwordStdin) {
    throw new KcError('USAGE', '--password and --password-stdin are mutually exclusive', {
      hint: 'give the password on stdin with --password-stdin',
    });
  }
  if (flags.passwordStdin) {
    if (!flags.username) {
      throw new KcError('USAGE', '--password-stdin needs --username', {
        hint: 'e.g. echo "$TOKEN" | kc registry login HOST -u USER --password-stdin',
      });
    }
    // One trailing newline is the end of the line `echo` wrote, not part of the password (docker and helm drop it).
    return { username: flags.username, password: io.ctx.readStdin().replace(/\r?\n$/, '') };
  }
  if (flags.password !== undefined) {
    io.stderr('WARNING: Using --password via the CLI is insecure. Use --password-stdin.\n');
    if (!flags.username) throw new KcError('USAGE', '--password needs --username', { hint: 'pass -u USER' });
    return { username: flags.username, password: flags.password };
  }
  if (!io.stdinIsTTY) {
    throw new KcError('USAGE', 'no password given, and stdin is not a terminal to ask for one', {
      hint: 'pipe it in: echo "$TOKEN" | kc registry login HOST -u USER --password-stdin',
    });
  }
  const username = flags.username ?? (await promptLine('Username: ')).trim();
  const password = await promptHidden('Password: ');
  return { username, password };
}

/** `kc registry login|logout HOST`: credentials for OCI registries, kept as Docker keeps them. */
export function registerRegistry(program: Command, io: CliIO): void {
  const registry = program
    .command('registry')
    .description("log in to or out of an OCI registry (credentials kept in Docker's config or its credential helper)");
  registry
    .command('login')
    .description('check a user name and password with a registry and keep them for kc, docker, helm, oras and cosign')
    .argument('<host>', 'registry HOST[:PORT], e.g. ghcr.io or 127.0.0.1:5000')
    .option('-u, --username <user>', 'registry user name')
    .option('-p, --password <password>', 'registry password or token (insecure: prefer --password-stdin)')
    .option('--password-stdin', 'read the password or token from stdin')
    .option('--plain-http', 'the registry serves plain HTTP (registries on loopback)')
    .option('--ca-file <file>', 'trust these CA certificates (PEM) for the registry')
    .option('--insecure-skip-tls-verify', "do not verify the registry's TLS certificate")
    .option('--insecure', "the same as --insecure-skip-tls-verify (Helm's name)")
    .addHelpText('after', LOGIN_EXAMPLES)
    .action(async (host: string, flags: LoginFlags) => {
      const { username, password } = await credentialsFrom(io, flags);
      const connection: RegistryOptions = {
        ...(flags.plainHttp ? { plainHttp: true } : {}),
        ...(flags.caFile ? { caFile: flags.caFile } : {}),
        ...(flags.insecureSkipTlsVerify || flags.insecure ? { insecureSkipTlsVerify: true } : {}),
      };
      const { registryLogin } = await import('../../src/actions/registry.js');
      const result = await registryLogin(io.ctx, { registry: host, username, password, connection });
      if (!result.helper) {
        io.stderr(
          safe`WARNING: the password is stored unencrypted in ${result.file}; a credential helper (credsStore) ` +
            'keeps it encrypted: https://docs.docker.com/reference/cli/docker/login/#credential-stores\n',
        );
      }
      io.stdout('Login Succeeded\n');
    });
  registry
    .command('logout')
    .description("remove the credentials kept for a registry (from Docker's config and its credential helper)")
    .argument('<host>', 'registry HOST[:PORT]')
    .addHelpText('after', LOGOUT_EXAMPLES)
    .action(async (host: string) => {
      const { registryLogout } = await import('../../src/actions/registry.js');
      const result = await registryLogout(io.ctx, { registry: host });
      io.stdout(safe`Removing login credentials for ${result.registry}\n`);
    });
  for (const cmd of registry.commands) cmd.exitOverride();
}
