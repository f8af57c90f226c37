import path from 'node:path';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import type { RegistryOptions } from '../oci/options.js';

/** Options of `kc sign`. */
export interface SignOptions {
  /** `oci://HOST/PATH/NAME:TAG` or `…@sha256:…` */
  reference: string;
  /** A cosign private key file. */
  key: string;
  password?: () => Promise<string>;
  registry?: RegistryOptions;
}

/** `kc sign oci://…`: a cosign-compatible signature of the artifact's manifest digest, stored where cosign looks. */
export async function sign(ctx: KcContext, options: SignOptions): Promise<{ digest: string; signature: string }> {
  const { parseOciReference, formatOciReference } = await import('../oci/reference.js');
  const ref = parseOciReference(options.reference);
  if (!ref.tag && !ref.digest) {
    throw new KcError('USAGE', `${options.reference} names no tag or digest to sign`, {
      hint: `name the version: ${formatOciReference({ ...ref, tag: '1.0.0' })} (or @sha256:…)`,
    });
  }
  const { readPrivateKeyFile } = await import('../oci/cosign-key.js');
  const key = await readPrivateKeyFile(path.resolve(ctx.cwd, options.key), options.password);
  const { openRegistry } = await import('../oci/open-registry.js');
  const client = openRegistry({ cwd: ctx.cwd, registry: options.registry, registryAuth: ctx.registryAuth });
  const fetched = await client.getManifest(ref, ref.digest ?? ref.tag!);
  if (!fetched) {
    throw new KcError('CHART_NOT_FOUND', `${options.reference} does not exist in the registry`, {
      hint: 'push it first with `kc push`, or check the name and tag',
    });
  }
  const { signArtifact } = await import('../oci/signature-store.js');
  const signed = await signArtifact(client, ref, fetched.digest, key);
  return { digest: fetched.digest, signature: signed.reference };
}
