import semver from 'semver';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import { searchIndexes, type SearchHit, type SearchQuery } from '../repo/index.js';
import { cachedIndexes } from './repo.js';
import type { RegistryOptions } from '../oci/options.js';

/** What `kc search repo` found, and the repositories it could not search (never downloaded). */
export interface SearchResult {
  hits: SearchHit[];
  unsearched: string[];
}

/** `kc search repo [KEYWORD]`: searches the cached indexes of the added repositories (no network). */
export function searchRepo(ctx: KcContext, query: SearchQuery): SearchResult {
  if (query.range !== undefined && semver.validRange(query.range) === null) {
    throw new KcError('USAGE', `--version ${query.range}: not a semver version or range`, { hint: 'use e.g. ^1.2.0' });
  }
  const { indexes, missing } = cachedIndexes(ctx);
  if (indexes.length === 0 && missing.length === 0) {
    throw new KcError('REPO_NOT_FOUND', 'no repositories to search', { hint: 'add one with `kc repo add NAME URL`' });
  }
  return { hits: searchIndexes(indexes, query), unsearched: missing };
}

/** `kc search repo oci://HOST/PATH/NAME`: the chart's versions in the registry (its semver tags). */
export async function searchRegistry(
  ctx: KcContext,
  reference: string,
  query: Omit<SearchQuery, 'keyword'> & { registry?: RegistryOptions },
): Promise<SearchHit[]> {
  const { searchOciChart } = await import('../oci/search.js');
  const registryCtx = { cwd: ctx.cwd, registry: query.registry, registryAuth: ctx.registryAuth };
  return searchOciChart(registryCtx, reference, { versions: query.versions, range: query.range });
}
