// Which cosign public keys an engine verifies an environment's artifact with: the environment's `verify.keys`, or,
// when it only signs (`gitops.sign`), the `.pub` that `cosign generate-key-pair` wrote next to the private key.
import path from 'node:path';
import type { EnvironmentConfig } from '../config/define-config.js';
import { KcError } from '../errors/index.js';
import { parsePublicKey } from '../oci/cosign-key.js';
import type { NamedPublicKey } from './flux-objects.js';

/** Reads a file's text, or undefined when it does not exist. */
export type OptionalReader = (file: string) => string | undefined;

/** The public key files the engine trusts, as absolute paths; none when the environment neither signs nor verifies. */
export function publicKeyFiles(environment: EnvironmentConfig, dir: string): string[] {
  if (environment.verify?.keys.length) return environment.verify.keys.map((k) => path.resolve(dir, k));
  const sign = environment.gitops?.sign?.key;
  if (!sign) return [];
  const key = path.resolve(dir, sign);
  return [key.endsWith('.key') ? `${key.slice(0, -'.key'.length)}.pub` : `${key}.pub`];
}

/**
 * The public keys (checked PEM) an engine verifies an environment with, each named after its file (unique names,
 * as they become Secret data keys). A missing file is an error naming where it was expected.
 */
export function gitopsPublicKeys(environment: EnvironmentConfig, dir: string, read: OptionalReader): NamedPublicKey[] {
  const used = new Set<string>();
  return publicKeyFiles(environment, dir).map((file) => {
    const text = read(file);
    if (text === undefined) {
      const signing = !environment.verify?.keys.length;
      throw new KcError('FILE_NOT_FOUND', `public key ${file} does not exist`, {
        hint: signing
          ? 'the environment signs with gitops.sign; put its cosign.pub next to the key, or name it in verify.keys'
          : 'fix verify.keys of the environment (paths are relative to the project)',
      });
    }
    parsePublicKey(text, file);
    const base = path.basename(file).replace(/\.pub$/, '').replace(/[^-._a-zA-Z0-9]+/g, '-') || 'key';
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    return { name, pem: text };
  });
}
