import semver from 'semver';
import type { IndexEntry, RepoIndex } from './index-file.js';

/** One search hit: a chart version and the repository it is in. */
export interface SearchHit {
  /** `repo/chart`. */
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  keywords: string[];
}

/** What to look for. */
export interface SearchQuery {
  /** Matched, case-insensitively, against `repo/chart`, the description and the keywords; empty matches all. */
  keyword?: string;
  /** Every matching version, not only the newest of each chart. */
  versions?: boolean;
  /** Only versions in this semver range. */
  range?: string;
}

function matches(repo: string, entry: IndexEntry, keyword: string): boolean {
  if (!keyword) return true;
  const haystack = [`${repo}/${entry.name}`, entry.description ?? '', ...(entry.keywords ?? [])].join('\n').toLowerCase();
  return haystack.includes(keyword.toLowerCase());
}

/** Searches repository indexes; hits sorted by name, newest version first. */
export function searchIndexes(indexes: readonly { repo: string; index: RepoIndex }[], query: SearchQuery): SearchHit[] {
  const hits: SearchHit[] = [];
  for (const { repo, index } of indexes) {
    for (const versions of Object.values(index.entries)) {
      const sorted = [...versions]
        .filter((v) => !query.range || semver.satisfies(v.version, query.range, { includePrerelease: true }))
        .sort((a, b) => semver.rcompare(a.version, b.version));
      // A chart matches through any of its versions' words, as the newest one describes it now.
      if (!sorted.some((v) => matches(repo, v, query.keyword ?? ''))) continue;
      const stable = sorted.filter((v) => !semver.prerelease(v.version));
      const shown = query.versions ? sorted : (stable[0] ?? sorted[0]) ? [stable[0] ?? sorted[0]] : [];
      for (const v of shown) {
        hits.push({ name: `${repo}/${v.name}`, version: v.version, appVersion: v.appVersion, description: v.description, keywords: v.keywords ?? [] });
      }
    }
  }
  return hits.sort((a, b) => (a.name === b.name ? semver.rcompare(a.version, b.version) : a.name < b.name ? -1 : 1));
}
