// A laid-out environment as the OCI artifact `flux push artifact --reproducible` makes (Flux's config and content media
// types, the org.opencontainers.image.{created,source,revision} annotations), pushed under the environment's tag and
// signed when asked. Every byte depends only on the inputs: same environment, same digest.
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { KcError } from '../errors/index.js';
import type { SigningKey } from '../oci/cosign-key.js';
import { OCI_MANIFEST } from '../oci/media-types.js';
import { formatOciReference } from '../oci/reference.js';
import { signArtifact } from '../oci/signature-store.js';
import type { Descriptor, RegistryClient, RepositoryRef } from '../oci/types.js';
import { layoutArchive, type PublishLayout } from './publish-layout.js';
import { FLUX_CONFIG_MEDIA_TYPE, FLUX_CONTENT_MEDIA_TYPE, type PublishedEnvironment } from './types.js';

/** kc's own manifest annotations: the project, the environment, and its releases in order (JSON). */
export const KC_PROJECT_ANNOTATION = 'dev.kc.project';
export const KC_ENV_ANNOTATION = 'dev.kc.environment';
export const KC_RELEASES_ANNOTATION = 'dev.kc.releases';

const CREATED = 'org.opencontainers.image.created';
const SOURCE = 'org.opencontainers.image.source';
const REVISION = 'org.opencontainers.image.revision';

const sha256 = (bytes: Buffer) => `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;

/**
 * The artifact's creation time, RFC 3339 in UTC to the second: SOURCE_DATE_EPOCH when set (reproducible builds'
 * convention), else the Unix epoch, as `flux push artifact --reproducible` writes it.
 */
export function createdTime(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return '1970-01-01T00:00:00Z';
  if (!/^[0-9]{1,12}$/.test(raw)) {
    throw new KcError('USAGE', `SOURCE_DATE_EPOCH=${JSON.stringify(raw.slice(0, 40))} is not a number of seconds`, {
      hint: 'set it to whole seconds since 1970 (e.g. `git log -1 --format=%ct`), or unset it',
    });
  }
  return new Date(Number(raw) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * The config blob as go-containerregistry writes it for Flux's image (an image config whose one layer's diff id is
 * the digest of the uncompressed tar), with `created` the artifact's creation time instead of the zero time.
 */
export function fluxConfigJson(tar: Buffer, created: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: '',
      created,
      history: [{ created }],
      os: '',
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      config: {},
    }),
  );
}

/** A descriptor in go-containerregistry's field order (mediaType, size, digest, annotations). */
const ggcrDescriptor = (d: Descriptor) => ({
  mediaType: d.mediaType,
  size: d.size,
  digest: d.digest,
  ...(d.annotations
    ? {
        annotations: Object.fromEntries(
          Object.keys(d.annotations)
            .sort()
            .map((k) => [k, d.annotations![k]]),
        ),
      }
    : {}),
});

/**
 * The layer's annotations that let `oras pull` unpack it into the current folder (a folder per release), as oras
 * marks a directory it pushed; Flux and Argo CD ignore layer annotations.
 */
export function orasUnpackAnnotations(tar: Buffer): Record<string, string> {
  return {
    'io.deis.oras.content.digest': sha256(tar),
    'io.deis.oras.content.unpack': 'true',
    'org.opencontainers.image.title': '.',
  };
}

/** The image manifest, as go-containerregistry marshals Flux's: no artifactType, annotations with sorted keys. */
export function fluxManifestJson(config: Descriptor, layer: Descriptor, annotations: Record<string, string>): Buffer {
  const sorted = Object.fromEntries(
    Object.keys(annotations)
      .sort()
      .map((k) => [k, annotations[k]]),
  );
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: ggcrDescriptor(config),
      layers: [ggcrDescriptor(layer)],
      annotations: sorted,
    }),
  );
}

/** What the artifact is of: the project and environment, and when it counts as created. */
export interface ArtifactMeta {
  project: string;
  env: string;
  created: string;
}

/** The artifact's blobs and manifest, built without a registry. */
export interface FluxArtifact {
  config: Buffer;
  layer: Buffer;
  manifest: Buffer;
  digest: string;
}

/** Builds the artifact of a layout: config, layer (the tar.gz) and manifest, and the manifest's digest. */
export function buildFluxArtifact(layout: PublishLayout, meta: ArtifactMeta): FluxArtifact {
  const layer = layoutArchive(layout);
  const tar = zlib.gunzipSync(layer);
  const config = fluxConfigJson(tar, meta.created);
  const layerDigest = sha256(layer);
  const releases = layout.releases.map(({ name, namespace, path, dependsOn }) => ({
    name,
    namespace,
    path,
    dependsOn,
  }));
  const annotations = {
    [CREATED]: meta.created,
    // Deterministic and independent of where it is pushed: the same environment pushed to two registries is one digest.
    [SOURCE]: `kc://${meta.project}/${meta.env}`,
    [REVISION]: `${meta.env}@${layerDigest}`,
    [KC_PROJECT_ANNOTATION]: meta.project,
    [KC_ENV_ANNOTATION]: meta.env,
    [KC_RELEASES_ANNOTATION]: JSON.stringify(releases),
  };
  const manifest = fluxManifestJson(
    { mediaType: FLUX_CONFIG_MEDIA_TYPE, size: config.length, digest: sha256(config) },
    {
      mediaType: FLUX_CONTENT_MEDIA_TYPE,
      size: layer.length,
      digest: layerDigest,
      annotations: orasUnpackAnnotations(tar),
    },
    annotations,
  );
  return { config, layer, manifest, digest: sha256(manifest) };
}

/** Where and how to push. */
export interface PushEnvironmentOptions {
  client: RegistryClient;
  /** `oci://HOST/PATH` without tag or digest. */
  repository: RepositoryRef;
  /** Signs the pushed digest (cosign's .sig image) when given. */
  key?: SigningKey;
}

/** Pushes a layout's artifact under the environment's tag, signs it when a key is given; returns what it pushed. */
export async function pushFluxArtifact(
  layout: PublishLayout,
  meta: ArtifactMeta,
  options: PushEnvironmentOptions,
): Promise<PublishedEnvironment> {
  const artifact = buildFluxArtifact(layout, meta);
  const repo = { registry: options.repository.registry, repository: options.repository.repository };
  await options.client.pushBlob(repo, artifact.config, FLUX_CONFIG_MEDIA_TYPE);
  await options.client.pushBlob(repo, artifact.layer, FLUX_CONTENT_MEDIA_TYPE);
  const digest = await options.client.putManifest(repo, meta.env, artifact.manifest, OCI_MANIFEST);
  if (digest !== artifact.digest) {
    throw new KcError(
      'INTEGRITY_MISMATCH',
      `the registry stored the manifest of ${meta.env} as ${digest}, not ${artifact.digest}`,
      {
        hint: 'the registry changed the manifest; publish to a registry that stores manifests byte for byte',
      },
    );
  }
  if (options.key) await signArtifact(options.client, repo, digest, options.key);
  return {
    project: meta.project,
    env: meta.env,
    repository: formatOciReference(repo),
    tag: meta.env,
    digest,
    releases: layout.releases,
    signed: Boolean(options.key),
  };
}
