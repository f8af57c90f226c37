// One registry client for a command: its connection flags, and credentials as Docker, Helm and podman store them.
import fs from 'node:fs';
import path from 'node:path';
import { KcError } from '../errors/index.js';
import { dockerCredentialStore, type RegistryAuthOptions } from './credential-store.js';
import type { RegistryOptions } from './options.js';
import { registryClient } from './registry-client.js';
import type { RegistryClient, RegistryConnection } from './types.js';

/** What opening a registry needs: the working directory (for --ca-file) and the command's registry options. */
export interface RegistryContext {
  cwd: string;
  registry?: RegistryOptions;
  /** Where credentials are kept (the process's env and home when unset). */
  registryAuth?: RegistryAuthOptions;
  /** Opens the client instead of the network one (tests: an in-memory registry). */
  openRegistry?: () => RegistryClient;
}

/** Reads the CA file named by --ca-file, relative to the working directory. */
export function readCaFile(cwd: string, file: string): Buffer {
  const full = path.resolve(cwd, file);
  if (!fs.existsSync(full)) {
    throw new KcError('FILE_NOT_FOUND', `the CA file ${file} does not exist`, {
      hint: 'pass a PEM file of CA certificates to --ca-file',
    });
  }
  return fs.readFileSync(full);
}

/** The connection settings the options name (TLS, plain HTTP). */
export function connectionOf(ctx: RegistryContext): RegistryConnection {
  const options = ctx.registry ?? {};
  return {
    ...(options.plainHttp ? { plainHttp: true } : {}),
    ...(options.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
    ...(options.caFile ? { ca: readCaFile(ctx.cwd, options.caFile) } : {}),
  };
}

/** A registry client with the command's connection settings and the user's stored credentials. */
export function openRegistry(ctx: RegistryContext): RegistryClient {
  if (ctx.openRegistry) return ctx.openRegistry();
  return registryClient({ connection: connectionOf(ctx), credentials: dockerCredentialStore(ctx.registryAuth) });
}
