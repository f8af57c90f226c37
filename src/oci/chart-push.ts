// `kc push`: a chart's .tgz into a registry as an OCI 1.1 artifact, tagged with its version, under the repository
// `PATH/<chart name>` (as Helm does: `oci://HOST/charts` + mysql-1.0.0.tgz → `oci://HOST/charts/mysql:1.0.0`).
import { artifactFileName, type OpenedArtifact } from '../artifact/index.js';
import { KcError } from '../errors/index.js';
import { chartConfigJson, chartConfigOf } from './chart-config.js';
import { chartManifestJson } from './chart-manifest.js';
import { KC_CONFIG_MEDIA_TYPE, KC_CONTENT_MEDIA_TYPE, OCI_MANIFEST } from './media-types.js';
import { formatOciReference, versionTag } from './reference.js';
import type { OciReference, RegistryClient, RepositoryRef } from './types.js';

/** What a push stored: the manifest's digest, its tag, the repository, and `oci://HOST/PATH/NAME:TAG`. */
export interface PushedChart {
  digest: string;
  tag: string;
  repository: RepositoryRef;
  reference: string;
}

/** The repository a chart goes to under `repo`: `repo.repository/<name>`. */
export function chartRepository(repo: RepositoryRef, name: string): RepositoryRef {
  return { registry: repo.registry, repository: `${repo.repository}/${name}` };
}

/** Pushes the config blob, the .tgz and the manifest (tag = version, `+` → `_`); returns the manifest's digest. */
export async function pushChart(
  client: RegistryClient,
  repo: RepositoryRef,
  archive: Buffer,
  opened: OpenedArtifact,
): Promise<PushedChart> {
  if ('tag' in repo || 'digest' in repo) {
    const { tag, digest } = repo as OciReference;
    if (tag || digest) {
      throw new KcError(
        'USAGE',
        `kc push takes a repository without a tag or digest (got ${tag ? `:${tag}` : `@${digest}`})`,
        {
          hint: 'the tag is the chart version: push to oci://HOST/PATH, the chart goes to oci://HOST/PATH/NAME:VERSION',
        },
      );
    }
  }
  const { name, version, description } = opened.manifest;
  const target = chartRepository(repo, name);
  const tag = versionTag(version);
  const config = await client.pushBlob(target, chartConfigJson(chartConfigOf(opened.manifest)), KC_CONFIG_MEDIA_TYPE);
  const pushed = await client.pushBlob(target, archive, KC_CONTENT_MEDIA_TYPE);
  const layer = { ...pushed, annotations: { 'org.opencontainers.image.title': artifactFileName(name, version) } };
  const manifest = chartManifestJson({ name, version, description, config, layer });
  const digest = await client.putManifest(target, tag, manifest, OCI_MANIFEST);
  return { digest, tag, repository: target, reference: formatOciReference({ ...target, tag }) };
}
