// `kc registry login|logout HOST`: credentials checked against the registry, then kept where Docker keeps them (its
// credential helper, else `auths` in its config.json), so docker, helm, oras, cosign and Flux's tools find them too.
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import type { RegistryAuthOptions } from '../oci/credential-store.js';
import type { RegistryOptions } from '../oci/options.js';
import type { RegistryCredentials } from '../oci/types.js';

/** Options of `kc registry login`. */
export interface RegistryLoginOptions {
  /** `host[:port]` (an `oci://` or `https://` prefix and a trailing `/` are accepted). */
  registry: string;
  username: string;
  password: string;
  /** How to reach the registry: --plain-http, --ca-file, --insecure-skip-tls-verify. */
  connection?: RegistryOptions;
}

/** Where `kc registry login` kept the credentials. */
export interface RegistryLoginResult {
  /** The registry as kc names it (lower case; Docker Hub as `docker.io`). */
  registry: string;
  /** The Docker config file (written in both cases: a helper's entry there is empty, as Docker writes it). */
  file: string;
  /** The credential helper suffix that holds the secret; unset when the file holds it (unencrypted). */
  helper?: string;
}

/** Where `kc registry logout` removed credentials from. */
export interface RegistryLogoutResult {
  registry: string;
  file: string;
  /** The `auths` keys removed from the file. */
  removedKeys: string[];
  /** The credential helper that erased its copy, if one did. */
  helper?: string;
}

/** Checks credentials against the registry (REGISTRY_AUTH_FAILED when it refuses them); tests pass their own. */
export type LoginCheck = (registry: string, credentials: RegistryCredentials) => Promise<void>;

const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;

/** `host[:port]` from what the user typed: `oci://`, `http(s)://` and a trailing `/` dropped, lower case. */
export function registryHost(input: string): string {
  const host = input
    .trim()
    .replace(/^(?:oci|https?):\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  if (!HOST.test(host)) {
    const shown = JSON.stringify(input.slice(0, 200));
    throw new KcError('USAGE', `${shown} is not a registry host`, {
      hint: host.includes('/')
        ? `log in to the registry, without a repository path: kc registry login ${host.split('/')[0]}`
        : 'give HOST or HOST:PORT, e.g. kc registry login ghcr.io or kc registry login 127.0.0.1:5000',
    });
  }
  return host;
}

/** GET /v2/ of the registry with the credentials, through the token flow when it asks for one. */
async function checkWithRegistry(
  ctx: KcContext,
  connection: RegistryOptions,
  registry: string,
  credentials: RegistryCredentials,
): Promise<void> {
  const [{ checkLogin }, { connectionOf }] = await Promise.all([
    import('../oci/registry-client.js'),
    import('../oci/open-registry.js'),
  ]);
  const env = ctx.registryAuth?.env as NodeJS.ProcessEnv | undefined;
  const once = { get: async () => credentials };
  try {
    await checkLogin(connectionOf({ cwd: ctx.cwd, registry: connection }), registry, once, env);
  } catch (err) {
    // The registry error's hint says to log in, which is what is being done: say what to check instead.
    if (!(err instanceof KcError) || err.code !== 'REGISTRY_AUTH_FAILED') throw err;
    throw new KcError('REGISTRY_AUTH_FAILED', err.message, {
      hint: 'check the user name and the password or token (a token needs the scopes the registry asks for)',
    });
  }
}

/**
 * `kc registry login HOST`: verifies the user name and password with the registry, then stores them in the
 * credential helper the Docker config names for HOST (credHelpers, else credsStore), else in its `auths` (base64, as
 * Docker does). Nothing is written when the registry refuses them.
 */
export async function registryLogin(
  ctx: KcContext,
  options: RegistryLoginOptions,
  check?: LoginCheck,
): Promise<RegistryLoginResult> {
  const registry = registryHost(options.registry);
  if (!options.username) {
    throw new KcError('USAGE', 'no user name given', { hint: 'pass -u USER (--username)' });
  }
  if (!options.password) {
    throw new KcError('USAGE', 'no password given', { hint: 'pass --password-stdin and the password on stdin' });
  }
  const { authEntry, canonicalHost, dockerConfigPath, helperFor, readDockerConfig, serverAddress, updateDockerConfig } =
    await import('../oci/docker-config.js');
  const auth = ctx.registryAuth ?? {};
  const file = dockerConfigPath(auth);
  // A malformed config is reported before the registry is asked.
  const config = readDockerConfig(file);
  const credentials: RegistryCredentials = { kind: 'basic', username: options.username, password: options.password };
  if (check) await check(registry, credentials);
  else await checkWithRegistry(ctx, options.connection ?? {}, registry, credentials);
  const address = serverAddress(registry);
  const helper = helperFor(config, registry);
  if (helper) {
    const { helperStore } = await import('../oci/credential-helper.js');
    await helperStore(helper, address, credentials, { env: auth.env, timeoutMs: auth.helperTimeoutMs });
  }
  updateDockerConfig(file, (raw) => {
    const auths = isObject(raw.auths) ? raw.auths : {};
    // The secret goes to the helper when there is one; Docker leaves an empty entry in the file then.
    auths[address] = helper ? {} : authEntry(credentials);
    raw.auths = auths;
  });
  return { registry: canonicalHost(registry), file, ...(helper ? { helper } : {}) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `kc registry logout HOST`: removes every `auths` key naming HOST from the Docker config and erases the copy in its
 * credential helper. NOT_LOGGED_IN when neither held any (credentials that Helm or podman keep are left to them).
 */
export async function registryLogout(ctx: KcContext, options: { registry: string }): Promise<RegistryLogoutResult> {
  const registry = registryHost(options.registry);
  const {
    canonicalHost,
    dockerConfigPath,
    helperFor,
    matchingKeys,
    readDockerConfig,
    serverAddress,
    updateDockerConfig,
  } = await import('../oci/docker-config.js');
  const auth = ctx.registryAuth ?? {};
  const file = dockerConfigPath(auth);
  const config = readDockerConfig(file);
  const keys = matchingKeys(config.auths, registry);
  const helper = helperFor(config, registry);
  let erased = false;
  if (helper) {
    const { helperErase } = await import('../oci/credential-helper.js');
    erased = await helperErase(helper, serverAddress(registry), { env: auth.env, timeoutMs: auth.helperTimeoutMs });
  }
  if (keys.length === 0 && !erased) throw await notLoggedIn(registry, file, auth);
  if (keys.length) {
    updateDockerConfig(file, (raw) => {
      if (isObject(raw.auths)) for (const key of keys) delete raw.auths[key];
    });
  }
  return { registry: canonicalHost(registry), file, removedKeys: keys, ...(erased && helper ? { helper } : {}) };
}

/** NOT_LOGGED_IN, saying where credentials for the registry do come from when Helm's or podman's files hold them. */
async function notLoggedIn(registry: string, file: string, auth: RegistryAuthOptions): Promise<KcError> {
  const { findCredentials } = await import('../oci/credential-store.js');
  const found = await findCredentials(registry, auth).catch(() => undefined);
  const tool = found?.source === 'helm' ? 'helm registry logout' : 'podman logout';
  const other =
    found && found.source !== 'docker'
      ? `; kc uses the credentials in ${found.file}: remove them with \`${tool} ${registry}\``
      : '';
  return new KcError('NOT_LOGGED_IN', `not logged in to ${registry}: ${file} has no credentials for it`, {
    hint: `check the host (as given to \`kc registry login\`)${other}`,
  });
}
