// Talks to chart repositories: downloads indexes and chart archives, picks versions by semver range.
import semver from 'semver';
import { verifyDigest, writeFileAtomic } from '../artifact/index.js';
import { KcError } from '../errors/index.js';
import { indexCacheFile, indexUrl, type RepoPaths, type Repository } from './config.js';
import type { HttpClient } from './http.js';
import { parseIndex, type IndexEntry, type RepoIndex } from './index-file.js';
import { displayUrl } from './redirect-policy.js';

/** Indexes are text; 16 MiB is far more than any real one. */
const MAX_INDEX_BYTES = 16 * 1024 * 1024;

/** Downloads and validates a repository's index.yaml. */
export async function fetchIndex(http: HttpClient, repoUrl: string): Promise<{ index: RepoIndex; text: string }> {
  const url = indexUrl(repoUrl);
  const res = await http.fetch(url, { maxBytes: MAX_INDEX_BYTES });
  const text = res.body.toString('utf8');
  return { index: parseIndex(text, displayUrl(url)), text };
}

/** Downloads a named repository's index and stores it in the cache (what `repo add` and `repo update` do). */
export async function refreshIndex(http: HttpClient, paths: RepoPaths, repo: Repository): Promise<RepoIndex> {
  const { index, text } = await fetchIndex(http, repo.url);
  writeFileAtomic(indexCacheFile(paths, repo.name), text);
  return index;
}

/** The newest version of `chart` that satisfies `range` (newest stable release when no range is given). */
export function selectVersion(index: RepoIndex, chart: string, range: string | undefined, where: string): IndexEntry {
  // Own keys only: a chart named "constructor" or "toString" must not find Object.prototype's members.
  const versions = Object.hasOwn(index.entries, chart) ? index.entries[chart] : undefined;
  if (!versions?.length) {
    const known = Object.keys(index.entries).sort();
    throw new KcError('CHART_NOT_FOUND', `${where} has no chart named "${chart}"`, {
      hint: known.length ? `charts there: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}` : 'the repository is empty; run `kc repo update` if charts were published since',
    });
  }
  if (range !== undefined && semver.validRange(range) === null) {
    throw new KcError('USAGE', `--version ${range}: not a semver version or range`, { hint: 'use e.g. 1.2.3, ^1.2.0 or ">=1.0.0 <2.0.0"' });
  }
  const all = versions.map((v) => v.version);
  // With no range, the newest stable release; a chart that has only pre-releases gets its newest pre-release.
  const chosen = semver.maxSatisfying(all, range ?? '*') ?? (range === undefined ? semver.maxSatisfying(all, '*', { includePrerelease: true }) : null);
  if (!chosen) {
    throw new KcError('CHART_NOT_FOUND', `${where} has no version of ${chart} matching ${range ?? '*'}`, {
      hint: `available: ${versions.map((v) => v.version).sort(semver.rcompare).slice(0, 10).join(', ')}; run \`kc repo update\` if a version was published since`,
    });
  }
  return versions.find((v) => v.version === chosen)!;
}

/** The absolute URL of an index entry's archive (entries may list URLs relative to the repository). */
export function entryUrl(entry: IndexEntry, repoUrl: string): string {
  return new URL(entry.urls[0], `${repoUrl.replace(/\/+$/, '')}/`).href;
}

/** Downloads an index entry's archive and refuses it unless its sha256 is the one the index lists. */
export async function downloadEntry(http: HttpClient, entry: IndexEntry, repoUrl: string, where: string): Promise<Buffer> {
  const url = entryUrl(entry, repoUrl);
  const archive = (await http.fetch(url)).body;
  verifyDigest(archive, entry.digest, `${entry.name}-${entry.version}.tgz from ${displayUrl(url)}`, `the index of ${where}`);
  return archive;
}
