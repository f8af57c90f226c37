// The signature gate of every oci:// chart a command reads: it runs before a byte of the chart is downloaded.
import path from 'node:path';
import { KcError } from '../errors/index.js';
import { readPublicKeyFile } from './cosign-key.js';
import type { RegistryContext } from './open-registry.js';
import { verifyArtifact } from './signature-store.js';
import type { RegistryClient, RepositoryRef } from './types.js';

/** When the options ask for it (--verify --key, or the environment), requires a signature by one of the keys. */
export async function verifySignatures(
  ctx: RegistryContext,
  client: RegistryClient,
  repo: RepositoryRef,
  digest: string,
): Promise<void> {
  const files = ctx.registry?.verifyKeys;
  if (files === undefined) return;
  if (files.length === 0) {
    throw new KcError('USAGE', '--verify needs a public key to verify with', {
      hint: 'pass --key cosign.pub (the public half of the key the chart was signed with)',
    });
  }
  const keys = await Promise.all(files.map((file) => readPublicKeyFile(path.resolve(ctx.cwd, file))));
  await verifyArtifact(client, repo, digest, keys);
}
