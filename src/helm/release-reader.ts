import { KcError } from '../errors/index.js';
import type { KubeClient, KubeObject } from '../kube/types.js';
import { decodeHelmRelease, helmSecretName, HELM_RELEASE_TYPE, type HelmRelease } from './release-secret.js';

/** One Helm record Secret as read: which object it is (to delete exactly it later) and the revision it holds. */
export interface HelmRecordSecret {
  name: string;
  namespace: string;
  uid?: string;
  resourceVersion?: string;
  release: HelmRelease;
}

/**
 * Reads every revision of Helm release `name` in `namespace` from Helm's Secret driver, oldest first. A Secret that
 * carries Helm's labels but is not a readable record of this release (another type, a name or revision that does not
 * match its content, garbage) is HELM_RECORD_INVALID: kc never imports a history it cannot read whole.
 */
export async function readHelmHistory(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<HelmRecordSecret[]> {
  const secrets = await client.list('v1', 'Secret', { namespace, labelSelector: `owner=helm,name=${name}` });
  if (secrets.length === 0) throw await notFound(client, namespace, name);
  const records = secrets.map((s) => recordOf(s, namespace, name));
  records.sort((a, b) => a.release.revision - b.release.revision);
  for (let i = 1; i < records.length; i++) {
    if (records[i].release.revision === records[i - 1].release.revision) {
      throw new KcError(
        'HELM_RECORD_INVALID',
        `two Helm records hold revision ${records[i].release.revision} of ${name}: ` +
          `${records[i - 1].name} and ${records[i].name}`,
        {
          hint: 'remove the one Helm did not write (`helm history` shows the revisions Helm knows)',
        },
      );
    }
  }
  return records;
}

function recordOf(secret: KubeObject, namespace: string, name: string): HelmRecordSecret {
  const meta = secret.metadata ?? {};
  const secretName = String(meta.name ?? '');
  const what = `Secret ${namespace}/${secretName}`;
  const bad = (why: string) =>
    new KcError('HELM_RECORD_INVALID', `${what} carries Helm's labels but ${why}`, {
      hint: 'remove or relabel that Secret if Helm did not write it; `helm history` shows the revisions Helm knows',
    });
  if (secret.type !== HELM_RELEASE_TYPE)
    throw bad(`is of type ${JSON.stringify(secret.type ?? '')}, not ${HELM_RELEASE_TYPE}`);
  const data = (secret.data ?? {}) as Record<string, unknown>;
  if (typeof data.release !== 'string') throw bad('has no data.release');
  const release = decodeHelmRelease(data.release, what);
  if (release.name !== name || release.namespace !== namespace) {
    throw bad(`holds release ${release.namespace}/${release.name}`);
  }
  if (secretName !== helmSecretName(name, release.revision)) {
    throw bad(`holds revision ${release.revision}, which Helm would name ${helmSecretName(name, release.revision)}`);
  }
  return {
    name: secretName,
    namespace,
    ...(meta.uid ? { uid: String(meta.uid) } : {}),
    ...(meta.resourceVersion ? { resourceVersion: String(meta.resourceVersion) } : {}),
    release,
  };
}

/** No Helm Secret names the release: said so, and when Helm's ConfigMap driver holds it, that kc reads Secrets only. */
async function notFound(client: KubeClient, namespace: string, name: string): Promise<KcError> {
  const selector = `owner=helm,name=${name}`;
  const inConfigMaps = await client.list('v1', 'ConfigMap', { namespace, labelSelector: selector, metadataOnly: true });
  if (inConfigMaps.length > 0) {
    return new KcError(
      'HELM_RECORD_INVALID',
      `Helm release "${name}" in namespace ${namespace} is kept in ConfigMaps (HELM_DRIVER=configmap)`,
      {
        hint: "kc reads only the records of Helm's default Secret driver: migrate the release to Secrets to adopt it",
      },
    );
  }
  return new KcError('RELEASE_NOT_FOUND', `no Helm release "${name}" in namespace ${namespace}`, {
    hint: `\`helm list -n ${namespace}\` lists Helm's releases there; pass the namespace with -n`,
  });
}
