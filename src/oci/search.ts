// `kc search repo oci://HOST/PATH/NAME`: registries have no search API, so a chart's versions are its semver tags.
import semver from 'semver';
import { KcError } from '../errors/index.js';
import type { SearchHit } from '../repo/search.js';
import { resolveChart } from './chart-pull.js';
import { openRegistry, type RegistryContext } from './open-registry.js';
import { formatOciReference, parseOciReference, tagVersion } from './reference.js';

/** At most this many versions are described (one config blob each). */
export const MAX_LISTED_VERSIONS = 50;

/** The chart's versions in the registry, newest first (all with `versions`, else the newest), with their configs. */
export async function searchOciChart(
  ctx: RegistryContext,
  input: string,
  query: { versions?: boolean; range?: string },
): Promise<SearchHit[]> {
  const ref = parseOciReference(input);
  if (ref.tag || ref.digest) {
    throw new KcError('USAGE', `${input}: search lists a chart's versions, so name it without a tag or digest`, {
      hint: `kc search repo ${formatOciReference({ registry: ref.registry, repository: ref.repository })} --versions`,
    });
  }
  if (query.range !== undefined && semver.validRange(query.range) === null) {
    throw new KcError('USAGE', `--version ${query.range}: not a semver version or range`, { hint: 'use e.g. ^1.2.0' });
  }
  const client = openRegistry(ctx);
  const versions = new Map<string, string>();
  for (const tag of await client.listTags(ref)) {
    const version = tagVersion(tag);
    if (semver.valid(version) !== version) continue;
    if (query.range !== undefined && !semver.satisfies(version, query.range)) continue;
    if (query.range === undefined && semver.prerelease(version) && !query.versions) continue;
    versions.set(version, tag);
  }
  const sorted = [...versions.keys()].sort(semver.rcompare);
  const shown = (query.versions ? sorted : sorted.slice(0, 1)).slice(0, MAX_LISTED_VERSIONS);
  const name = formatOciReference({ registry: ref.registry, repository: ref.repository });
  const hits: SearchHit[] = [];
  for (const version of shown) {
    const { config } = await resolveChart(client, { ...ref, tag: versions.get(version) });
    hits.push({
      name,
      version,
      ...(config.appVersion ? { appVersion: config.appVersion } : {}),
      ...(config.description ? { description: config.description } : {}),
      keywords: config.keywords,
    });
  }
  return hits;
}
