// `kc pull` and oci:// charts: a reference (tag, digest, or semver range over the tags) resolved to one manifest that
// is a kc chart, its config read, and its .tgz downloaded and checked against its digest.
import semver from 'semver';
import { DEFAULT_ARCHIVE_LIMITS, formatSize } from '../artifact/index.js';
import { KcError } from '../errors/index.js';
import { parseChartConfig, type ChartConfig } from './chart-config.js';
import { classifyManifest, type ImageManifest } from './chart-manifest.js';
import { formatOciReference, tagVersion, versionTag } from './reference.js';
import type { Descriptor, FetchedManifest, OciReference, RegistryClient } from './types.js';

/** Config blobs hold a values schema and defaults: 4 MiB is far more than any real one. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** A reference resolved to one kc chart manifest, with its config. */
export interface ResolvedChart {
  /** The reference with the tag it resolved to (no tag when asked by digest alone), and the digest. */
  ref: OciReference;
  tag?: string;
  /** The manifest's digest: the chart's identity. */
  digest: string;
  /** The manifest exactly as served, and parsed. */
  manifest: FetchedManifest;
  parsed: ImageManifest;
  layer: Descriptor;
  config: ChartConfig;
}

/** The newest tag whose version (`_` read as `+`) satisfies the range; non-semver tags never match a range. */
export function selectTag(tags: readonly string[], range: string | undefined, where: string): string {
  if (range !== undefined && semver.validRange(range) === null) {
    throw new KcError('USAGE', `--version ${range}: not a semver version or range`, {
      hint:
        'use e.g. 1.2.3, ^1.2.0 or ">=1.0.0 <2.0.0"; a tag that is not a version goes in the reference: '
        + 'oci://HOST/PATH/NAME:TAG',
    });
  }
  const byVersion = new Map<string, string>();
  for (const tag of tags) {
    const version = tagVersion(tag);
    if (isExactVersion(version)) byVersion.set(version, tag);
  }
  const versions = [...byVersion.keys()];
  // No range: the newest stable version; a chart that has only pre-releases gets its newest pre-release.
  const chosen =
    semver.maxSatisfying(versions, range ?? '*') ??
    (range === undefined ? semver.maxSatisfying(versions, '*', { includePrerelease: true }) : null);
  if (!chosen) {
    const available = versions.sort(semver.rcompare).slice(0, 10).join(', ');
    throw new KcError('CHART_NOT_FOUND', `${where} has no version matching ${range ?? '*'}`, {
      hint: available ? `available: ${available}` : 'it has no tag that is a semantic version',
    });
  }
  return byVersion.get(chosen)!;
}

/** A full semantic version as written (build metadata kept; no `v` prefix, no range). */
function isExactVersion(text: string): boolean {
  return /^[0-9]/.test(text) && semver.valid(text) !== null;
}

/** Which tag or digest to fetch: the digest, an exact version's tag, the newest match of a range, or the tag. */
export async function pickReference(client: RegistryClient, ref: OciReference, range?: string): Promise<string> {
  if (ref.digest) return ref.digest;
  const where = formatOciReference({ registry: ref.registry, repository: ref.repository });
  // An exact version needs no tag list (registries may refuse to list tags): its tag is fetched directly.
  if (range !== undefined && isExactVersion(range)) return versionTag(range);
  if (range === undefined && ref.tag) return ref.tag;
  return selectTag(await client.listTags(ref), range, where);
}

/** Resolves a reference to a kc chart: ARTIFACT_INVALID saying what it is when it is something else. */
export async function resolveChart(
  client: RegistryClient,
  ref: OciReference,
  versionRange?: string,
): Promise<ResolvedChart> {
  const reference = await pickReference(client, ref, versionRange);
  const tag = ref.digest ? ref.tag : reference;
  const label = formatOciReference({ registry: ref.registry, repository: ref.repository, tag, digest: ref.digest });
  const manifest = await client.getManifest(ref, reference);
  if (!manifest) {
    throw new KcError('CHART_NOT_FOUND', `${label} does not exist`, {
      hint: ref.digest ? 'check the digest' : 'check the name and version (`--version` takes a semver range)',
    });
  }
  const {
    manifest: parsed,
    config: configDescriptor,
    layer,
  } = classifyManifest(manifest.bytes, manifest.mediaType, label);
  if (configDescriptor.size > MAX_CONFIG_BYTES) {
    throw new KcError(
      'ARCHIVE_UNSAFE',
      `the config of ${label} is ${formatSize(configDescriptor.size)}, more than ${formatSize(MAX_CONFIG_BYTES)}`,
      {
        hint: 'a kc chart config is far smaller; check that the reference names a kc chart',
      },
    );
  }
  const config = parseChartConfig(await client.getBlob(ref, configDescriptor.digest, MAX_CONFIG_BYTES), label);
  const resolvedRef = {
    registry: ref.registry,
    repository: ref.repository,
    ...(tag ? { tag } : {}),
    digest: manifest.digest,
  };
  return { ref: resolvedRef, ...(tag ? { tag } : {}), digest: manifest.digest, manifest, parsed, layer, config };
}

/** Downloads the chart's .tgz (at most the archive limit), checked against the layer's digest. */
export async function pullChart(
  client: RegistryClient,
  resolved: ResolvedChart,
  maxBytes: number = DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes,
): Promise<{ archive: Buffer; config: ChartConfig }> {
  const label = formatOciReference(resolved.ref);
  if (resolved.layer.size > maxBytes) {
    throw new KcError(
      'ARCHIVE_UNSAFE',
      `the chart ${label} is ${formatSize(resolved.layer.size)}, more than the ${formatSize(maxBytes)} allowed`,
      {
        hint: 'a kc chart is far smaller; check that the reference names a kc chart',
      },
    );
  }
  const archive = await client.getBlob(resolved.ref, resolved.layer.digest, maxBytes);
  return { archive, config: resolved.config };
}

/** A chart's config (metadata, values schema and defaults) without downloading its code (`kc show values`). */
export async function readChartConfig(
  client: RegistryClient,
  ref: OciReference,
  versionRange?: string,
): Promise<ChartConfig> {
  return (await resolveChart(client, ref, versionRange)).config;
}
