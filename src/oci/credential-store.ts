// Registry credentials found as the ecosystem stores them: Docker's config (its credential helper when one is set for
// the registry, else its `auths` entry), then Helm's registry config, then podman's auth files.
import { helperGet } from './credential-helper.js';
import {
  dockerConfigPath,
  entryCredentials,
  fallbackConfigPaths,
  helperFor,
  matchKey,
  readDockerConfig,
  serverAddress,
  type ConfigSource,
  type DockerConfigOptions,
} from './docker-config.js';
import type { CredentialStore, RegistryCredentials } from './types.js';

/** Where credentials are read from, and how long a credential helper may take. */
export interface RegistryAuthOptions extends DockerConfigOptions {
  /** Longest a credential helper may run (60 s by default). */
  helperTimeoutMs?: number;
}

/** Credentials and where they came from (for messages: the file and helper, never the secret). */
export interface FoundCredentials {
  credentials: RegistryCredentials;
  file: string;
  source: ConfigSource;
  /** The credential helper suffix, when a helper gave them. */
  helper?: string;
}

/** Every file consulted, Docker's first. */
function configFiles(options: RegistryAuthOptions): { file: string; source: ConfigSource }[] {
  return [{ file: dockerConfigPath(options), source: 'docker' }, ...fallbackConfigPaths(options)];
}

/**
 * The credentials for `registry` and their origin. In each file, as Docker does, a credential helper configured for
 * the registry (credHelpers, else credsStore) is asked instead of `auths`; the next file is read only when one has
 * none.
 */
export async function findCredentials(
  registry: string,
  options: RegistryAuthOptions = {},
): Promise<FoundCredentials | undefined> {
  const helperOptions = { env: options.env, timeoutMs: options.helperTimeoutMs };
  for (const { file, source } of configFiles(options)) {
    const config = readDockerConfig(file, source);
    if (!config.exists) continue;
    const helper = helperFor(config, registry);
    if (helper) {
      const credentials = await helperGet(helper, serverAddress(registry), helperOptions);
      if (credentials) return { credentials, file, source, helper };
      continue;
    }
    const key = matchKey(config.auths, registry);
    const credentials = key === undefined ? undefined : entryCredentials(config, key);
    if (credentials) return { credentials, file, source };
  }
  return undefined;
}

/** A CredentialStore over the Docker, Helm and podman configs; each registry is looked up once per store. */
export function dockerCredentialStore(options: RegistryAuthOptions = {}): CredentialStore {
  const found = new Map<string, Promise<RegistryCredentials | undefined>>();
  return {
    get(registry) {
      let lookup = found.get(registry);
      if (!lookup) {
        lookup = findCredentials(registry, options).then((f) => f?.credentials);
        found.set(registry, lookup);
        // A failed lookup (a helper that timed out) is tried again by the next call.
        lookup.catch(() => found.delete(registry));
      }
      return lookup;
    },
  };
}
