// Secrets never reach a registry in plain text: each rendered Secret is encrypted for in-cluster decryption (SOPS,
// which Flux's kustomize-controller decrypts), or publishing is refused, naming every Secret and the fix.
import { KcError } from '../errors/index.js';
import type { KubeObject } from '../synth/index.js';

/** Encrypts one rendered Secret for the engine (e.g. SOPS for age recipients); the result replaces it. */
export type SecretEncrypter = (secret: KubeObject) => Promise<KubeObject> | KubeObject;

/** One release's placed objects. */
export interface ReleaseObjects {
  release: string;
  objects: KubeObject[];
}

/** True for a core Secret (what holds credentials in plain base64). */
export function isSecret(o: KubeObject): boolean {
  return o.kind === 'Secret' && o.apiVersion === 'v1';
}

/**
 * Each release's objects with its Secrets encrypted by `encrypt`, in the same order; without an encrypter, a
 * SECRET_UNENCRYPTED error naming every Secret (release/name) when there is one.
 */
export async function prepareSecrets(
  releases: readonly ReleaseObjects[],
  encrypt: SecretEncrypter | undefined,
): Promise<KubeObject[][]> {
  if (!encrypt) {
    const secrets = releases.flatMap((r) =>
      r.objects.filter(isSecret).map((o) => `${r.release}/${o.metadata?.name ?? '?'}`),
    );
    if (secrets.length) {
      throw new KcError(
        'SECRET_UNENCRYPTED',
        `the environment renders ${secrets.length} Secret(s), which would be published in plain text: ` +
          secrets.join(', '),
        {
          hint:
            'set gitops.sops.age in the environment in kc.config.ts ' +
            '(age recipients; the engine decrypts in-cluster with the matching key), ' +
            'or keep the Secret out of the app (create it in the cluster by other means and reference it by name)',
        },
      );
    }
    return releases.map((r) => r.objects);
  }
  const out: KubeObject[][] = [];
  // One at a time, in order: encryption is cheap next to rendering, and the order stays that of the input.
  for (const r of releases) {
    const objects: KubeObject[] = [];
    for (const o of r.objects) objects.push(isSecret(o) ? await encrypt(o) : o);
    out.push(objects);
  }
  return out;
}
