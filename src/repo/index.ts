export { HTTP_LIMITS, nodeHttpClient, type FetchOptions, type HttpClient, type HttpResponse } from './http.js';
export { buildIndex, chartUrl, parseIndex, serializeIndex, type IndexEntry, type IndexedArtifact, type RepoIndex } from './index-file.js';
export {
  REPO_NAME, cachedIndex, indexCacheFile, indexUrl, isHttpUrl, loadRepositories, repositoriesFile, repositoryNamed, saveRepositories,
  type RepoPaths, type Repository,
} from './config.js';
export { downloadEntry, entryUrl, fetchIndex, refreshIndex, selectVersion } from './client.js';
export { searchIndexes, type SearchHit, type SearchQuery } from './search.js';
export {
  checkIdentity, fetchPackagedChart, openPackagedChart, parsePackagedSource,
  type ChartOrigin, type FetchedChart, type OpenedChart, type PackagedSource, type SourceContext,
} from './chart-source.js';
