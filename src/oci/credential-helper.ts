// Docker's credential helper protocol: `docker-credential-<suffix> get|store|erase`, the request on stdin, JSON back.
// The helper runs without a shell, for a bounded time and output; no error names a secret or quotes the helper's JSON.
import { spawn } from 'node:child_process';
import { KcError } from '../errors/index.js';
import type { RegistryCredentials } from './types.js';

/** How helpers are run: their PATH and environment, and bounds (tests put a fake helper on PATH). */
export interface CredentialHelperOptions {
  /** The helper's environment (PATH finds it); the process's when unset. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Longest a helper may run (a keychain may ask the user to unlock it). */
  timeoutMs?: number;
  /** Largest output read from a helper. */
  maxOutputBytes?: number;
}

/** The exit and output of one helper run. */
interface HelperRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_OUTPUT = 1024 * 1024;
/** The text of docker-credential-helpers' `credentials.NewErrCredentialsNotFound()` (pass, secretservice… too). */
const NOT_FOUND = /credentials not found/i;
/** The Username a helper stores an identity token under. */
const TOKEN_USERNAME = '<token>';
/** A helper suffix is a file name part, never a path. */
const SUFFIX = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The executable name of a helper. */
export function helperProgram(suffix: string): string {
  return `docker-credential-${suffix}`;
}

function checkSuffix(suffix: string): void {
  if (!SUFFIX.test(suffix)) {
    throw new KcError(
      'CONFIG_INVALID',
      `credential helper ${JSON.stringify(suffix.slice(0, 80))} is not a helper name`,
      {
        hint: 'credsStore and credHelpers name a program docker-credential-NAME on PATH, e.g. "desktop" or "pass"',
      },
    );
  }
}

/** The helper's first line of output, with `secret` masked (a helper's error text is shown, never its JSON). */
function firstLine(run: HelperRun, secret?: string): string {
  const text = (run.stderr.trim() || run.stdout.trim()).split('\n')[0].slice(0, 200);
  return secret ? text.split(secret).join('***') : text;
}

function runHelper(
  suffix: string,
  action: string,
  input: string,
  options: CredentialHelperOptions,
): Promise<HelperRun> {
  checkSuffix(suffix);
  const program = helperProgram(suffix);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve, reject) => {
    const child = spawn(program, [action], {
      env: (options.env ?? process.env) as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let failure: KcError | undefined;
    const stop = (error: KcError) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      stop(
        new KcError('TIMEOUT', `credential helper ${program} ${action} did not finish within ${timeoutMs / 1000} s`, {
          hint: 'the helper may be waiting for its keychain to be unlocked; unlock it and try again',
        }),
      );
    }, timeoutMs);
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxOutput)
        return stop(
          new KcError('CREDENTIAL_HELPER_FAILED', `credential helper ${program} printed more than ${maxOutput} bytes`, {
            hint: `check that ${program} is a Docker credential helper`,
          }),
        );
      into.push(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    // A helper that exits without reading its input: the write fails with EPIPE, which its exit code explains.
    child.stdin.on('error', () => undefined);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ENOENT') {
        reject(
          new KcError('CONFIG_INVALID', `credential helper ${program} is not installed (not found on PATH)`, {
            hint: `install ${program}, or remove credsStore/credHelpers naming "${suffix}" from the Docker config`,
          }),
        );
      } else {
        reject(
          new KcError(
            'CREDENTIAL_HELPER_FAILED',
            `credential helper ${program} could not start (${error.code ?? 'error'})`,
            {
              hint: `check that ${program} on PATH is an executable Docker credential helper`,
            },
          ),
        );
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(input);
  });
}

function helperFailed(suffix: string, action: string, run: HelperRun, secret?: string): KcError {
  const said = firstLine(run, secret);
  const program = helperProgram(suffix);
  return new KcError(
    'CREDENTIAL_HELPER_FAILED',
    `credential helper ${program} ${action} failed (exit ${run.code})${said ? `: ${said}` : ''}`,
    {
      hint: `check that ${program} works (run \`${program} list\`), or remove it from the Docker config`,
    },
  );
}

/** `get`: the credentials the helper holds for `serverUrl`, or undefined when it has none. */
export async function helperGet(
  suffix: string,
  serverUrl: string,
  options: CredentialHelperOptions = {},
): Promise<RegistryCredentials | undefined> {
  const run = await runHelper(suffix, 'get', serverUrl, options);
  if (run.code !== 0) {
    if (NOT_FOUND.test(run.stdout) || NOT_FOUND.test(run.stderr)) return undefined;
    throw helperFailed(suffix, 'get', run);
  }
  let reply: unknown;
  try {
    reply = JSON.parse(run.stdout);
  } catch {
    reply = undefined;
  }
  const { Username: username, Secret: secret } = (reply ?? {}) as { Username?: unknown; Secret?: unknown };
  if (
    typeof reply !== 'object' ||
    reply === null ||
    typeof secret !== 'string' ||
    (username !== undefined && typeof username !== 'string')
  ) {
    // The reply is not quoted: it may hold the secret.
    throw new KcError(
      'CREDENTIAL_HELPER_FAILED',
      `credential helper ${helperProgram(suffix)} get printed no {ServerURL, Username, Secret} JSON`,
      {
        hint: `check that ${helperProgram(suffix)} is a Docker credential helper`,
      },
    );
  }
  if (!secret) return undefined;
  if (username === TOKEN_USERNAME) return { kind: 'identity-token', token: secret };
  if (!username) return undefined;
  return { kind: 'basic', username, password: secret };
}

/** `store`: hands the helper credentials for `serverUrl` (an identity token under Username `<token>`). */
export async function helperStore(
  suffix: string,
  serverUrl: string,
  credentials: RegistryCredentials,
  options: CredentialHelperOptions = {},
): Promise<void> {
  if (credentials.kind === 'registry-token') {
    throw new KcError('USAGE', 'a registry token cannot be kept in a credential helper', {
      hint: 'log in with a user name and password',
    });
  }
  const [username, secret] =
    credentials.kind === 'basic' ? [credentials.username, credentials.password] : [TOKEN_USERNAME, credentials.token];
  const run = await runHelper(
    suffix,
    'store',
    JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: secret }),
    options,
  );
  if (run.code !== 0) throw helperFailed(suffix, 'store', run, secret);
}

/** `erase`: removes the helper's credentials for `serverUrl`; false when it had none. */
export async function helperErase(
  suffix: string,
  serverUrl: string,
  options: CredentialHelperOptions = {},
): Promise<boolean> {
  const run = await runHelper(suffix, 'erase', serverUrl, options);
  if (run.code === 0) return true;
  if (NOT_FOUND.test(run.stdout) || NOT_FOUND.test(run.stderr)) return false;
  throw helperFailed(suffix, 'erase', run);
}
