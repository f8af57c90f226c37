// The OCI 1.1 image manifest of a kc chart (artifactType, config blob, one .tgz layer), built deterministically, and
// the reading of a manifest from a registry: a kc chart, or what else it is (a Helm chart, a container image, …).
import { KcError } from '../errors/index.js';
import {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  HELM_CONFIG_MEDIA_TYPE,
  KC_ARTIFACT_TYPE,
  KC_CONFIG_MEDIA_TYPE,
  KC_CONTENT_MEDIA_TYPE,
  OCI_INDEX,
  OCI_MANIFEST,
} from './media-types.js';
import { DIGEST } from './reference.js';
import type { Descriptor } from './types.js';

/** The OCI image config media type, and Docker's: what a container image's config is. */
export const OCI_IMAGE_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const DOCKER_IMAGE_CONFIG = 'application/vnd.docker.container.image.v1+json';

/** An image manifest as kc reads it. */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** What a kc chart's manifest says: its metadata, for the annotations. */
export interface ChartManifestInput {
  name: string;
  version: string;
  description?: string;
  config: Descriptor;
  layer: Descriptor;
}

const descriptorJson = (d: Descriptor) => ({
  mediaType: d.mediaType,
  digest: d.digest,
  size: d.size,
  ...(d.annotations ? { annotations: sortedKeys(d.annotations) } : {}),
});

function sortedKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(map)
      .sort()
      .map((k) => [k, map[k]]),
  );
}

/** The manifest's bytes: compact JSON in a fixed key order, with no timestamp (same chart, same digest). */
export function chartManifestJson(input: ChartManifestInput): Buffer {
  const annotations: Record<string, string> = {
    'org.opencontainers.image.title': input.name,
    'org.opencontainers.image.version': input.version,
    ...(input.description ? { 'org.opencontainers.image.description': input.description } : {}),
  };
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: KC_ARTIFACT_TYPE,
    config: descriptorJson(input.config),
    layers: [descriptorJson(input.layer)],
    annotations: sortedKeys(annotations),
  };
  return Buffer.from(JSON.stringify(manifest));
}

/** A manifest found to be a kc chart: itself, its config descriptor and its one content layer. */
export interface KcChartManifest {
  manifest: ImageManifest;
  config: Descriptor;
  layer: Descriptor;
}

/** True for the refusal of an oci:// reference that names a Helm chart (which src/helm/ renders instead). */
export function isHelmChartRefusal(err: unknown): boolean {
  return (err as { helmChart?: unknown } | null)?.helmChart === true;
}

function notKc(label: string, what: string, hint: string): KcError {
  return new KcError('ARTIFACT_INVALID', `${label} is ${what}, not a kc chart`, { hint });
}

function isDescriptor(value: unknown): value is Descriptor {
  const d = value as Descriptor | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.mediaType === 'string' &&
    typeof d.digest === 'string' &&
    DIGEST.test(d.digest) &&
    Number.isSafeInteger(d.size) &&
    d.size >= 0
  );
}

/** Parses an image manifest's JSON; ARTIFACT_INVALID when it is not one. */
export function parseImageManifest(bytes: Buffer, label: string): ImageManifest {
  const invalid = (reason: string) =>
    new KcError('ARTIFACT_INVALID', `the manifest of ${label} is invalid: ${reason}`, {
      hint: 'push the chart again with `kc push`',
    });
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('it is not JSON');
  }
  const m = raw as Partial<ImageManifest> | null;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw invalid('it is not a JSON object');
  if (m.schemaVersion !== 2) throw invalid('its schemaVersion is not 2');
  if (!isDescriptor(m.config)) throw invalid('its config is not a descriptor');
  if (!Array.isArray(m.layers) || !m.layers.every(isDescriptor)) throw invalid('its layers are not descriptors');
  return m as ImageManifest;
}

/**
 * Reads a fetched manifest as a kc chart, or says what it is instead: an index, a container image, a Helm chart, or
 * an artifact of another type.
 */
export function classifyManifest(bytes: Buffer, mediaType: string, label: string): KcChartManifest {
  if (mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST) {
    throw notKc(
      label,
      'an image index (a multi-platform container image or a list of artifacts)',
      'name a kc chart pushed with `kc push`; an index is not one',
    );
  }
  if (mediaType !== OCI_MANIFEST && mediaType !== DOCKER_MANIFEST) {
    throw notKc(label, `a manifest of type ${mediaType}`, 'name a kc chart pushed with `kc push`');
  }
  const manifest = parseImageManifest(bytes, label);
  const configType = manifest.config.mediaType;
  const isKc =
    manifest.artifactType === KC_ARTIFACT_TYPE || (!manifest.artifactType && configType === KC_CONFIG_MEDIA_TYPE);
  if (!isKc) {
    if (configType === HELM_CONFIG_MEDIA_TYPE) {
      // install, upgrade, template and diff render Helm charts with helm (src/helm/); other commands say so.
      const hint = 'kc install, upgrade, template and diff take a Helm chart as it is (rendered by `helm template`)';
      throw Object.assign(notKc(label, 'a Helm chart', hint), { helmChart: true });
    }
    if (
      mediaType === DOCKER_MANIFEST ||
      (!manifest.artifactType && (configType === OCI_IMAGE_CONFIG || configType === DOCKER_IMAGE_CONFIG))
    ) {
      throw notKc(label, 'a container image', 'run it in a Pod; kc installs charts pushed with `kc push`');
    }
    const kind = manifest.artifactType ? `artifactType ${manifest.artifactType}` : `config media type ${configType}`;
    throw notKc(label, `an OCI artifact with ${kind}`, 'name a kc chart pushed with `kc push`');
  }
  if (configType !== KC_CONFIG_MEDIA_TYPE) {
    throw new KcError(
      'ARTIFACT_INVALID',
      `${label}: its config has media type ${configType}, not ${KC_CONFIG_MEDIA_TYPE}`,
      {
        hint: 'push the chart again with `kc push`',
      },
    );
  }
  const content = manifest.layers.filter((l) => l.mediaType === KC_CONTENT_MEDIA_TYPE);
  if (content.length !== 1) {
    throw new KcError(
      'ARTIFACT_INVALID',
      `${label} has ${content.length} layers of type ${KC_CONTENT_MEDIA_TYPE}, not one`,
      {
        hint: 'push the chart again with `kc push`',
      },
    );
  }
  return { manifest, config: manifest.config, layer: content[0] };
}
