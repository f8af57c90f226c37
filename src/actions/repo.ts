import fs from 'node:fs';
import path from 'node:path';
import { openArtifact, writeFileAtomic } from '../artifact/index.js';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import {
  REPO_NAME, buildIndex, cachedIndex, indexCacheFile, isHttpUrl, loadRepositories, parseIndex, refreshIndex, repositoryNamed,
  saveRepositories, serializeIndex, type IndexedArtifact, type RepoIndex, type Repository,
} from '../repo/index.js';

/** Options of `kc repo index`. */
export interface RepoIndexOptions {
  /** Folder holding the .tgz files; index.yaml is written there. */
  dir: string;
  /** Base URL the folder is served from (entries get absolute URLs); relative URLs when unset. */
  url?: string;
  /** An existing index.yaml to merge into (its entries and their `created` times are kept). */
  merge?: string;
}

/** What `kc repo index` wrote. */
export interface RepoIndexResult {
  file: string;
  index: RepoIndex;
  /** Charts indexed from the folder, as `name-version`. */
  indexed: string[];
}

/** `kc repo index DIR`: reads every chart archive in DIR (verifying each) and writes DIR/index.yaml. */
export async function repoIndex(ctx: KcContext, options: RepoIndexOptions): Promise<RepoIndexResult> {
  const dir = path.resolve(ctx.cwd, options.dir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new KcError('FILE_NOT_FOUND', `${options.dir} is not a directory`, { hint: 'pass the folder that holds the packaged .tgz files' });
  }
  if (options.url !== undefined && !isHttpUrl(options.url)) throw new KcError('USAGE', `--url ${options.url}: not an http(s) URL`, { hint: 'e.g. --url https://charts.example.com' });
  let existing: RepoIndex | undefined;
  if (options.merge) {
    const mergeFile = path.resolve(ctx.cwd, options.merge);
    existing = parseIndex(ctx.fs.readText(mergeFile), options.merge);
  }
  const artifacts: IndexedArtifact[] = [];
  for (const fileName of fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort()) {
    const archive = fs.readFileSync(path.join(dir, fileName));
    const opened = await openArtifact(archive, path.join(options.dir, fileName));
    artifacts.push({ manifest: opened.manifest, digest: opened.digest, fileName });
  }
  const index = buildIndex(artifacts, { baseUrl: options.url, now: ctx.clock.now(), existing });
  const file = path.join(dir, 'index.yaml');
  writeFileAtomic(file, serializeIndex(index));
  return { file, index, indexed: artifacts.map((a) => `${a.manifest.name}-${a.manifest.version}`) };
}

/** Options of `kc repo add`. */
export interface RepoAddOptions {
  name: string;
  url: string;
  /** Replace the URL of an existing repository of the same name. */
  forceUpdate?: boolean;
}

/** `kc repo add NAME URL`: checks that URL serves an index, caches it and remembers the repository. */
export async function repoAdd(ctx: KcContext, options: RepoAddOptions): Promise<{ repository: Repository; charts: number }> {
  if (!REPO_NAME.test(options.name)) {
    throw new KcError('USAGE', `invalid repository name "${options.name}"`, { hint: 'use letters, digits, "-" and "_", starting with a letter or digit' });
  }
  if (!isHttpUrl(options.url)) throw new KcError('USAGE', `${options.url}: not an http(s) URL`, { hint: 'e.g. kc repo add stable https://charts.example.com' });
  const url = options.url.replace(/\/+$/, '');
  const repos = loadRepositories(ctx);
  const same = repos.find((r) => r.name === options.name);
  if (same && same.url !== url && !options.forceUpdate) {
    throw new KcError('REPO_EXISTS', `repository "${options.name}" already exists with URL ${same.url}`, {
      hint: 'pass --force-update to replace its URL, or choose another name',
    });
  }
  const repository = { name: options.name, url };
  const index = await refreshIndex(ctx.http, ctx, repository);
  saveRepositories(ctx, [...repos.filter((r) => r.name !== options.name), repository]);
  return { repository, charts: Object.keys(index.entries).length };
}

/** `kc repo list`: the repositories added, sorted by name. */
export function repoList(ctx: KcContext): Repository[] {
  return loadRepositories(ctx);
}

/** The outcome of refreshing one repository. */
export interface RepoUpdateResult {
  name: string;
  ok: boolean;
  charts?: number;
  error?: string;
}

/** `kc repo update [NAME...]`: downloads fresh indexes; fails (after trying all) if any could not be fetched. */
export async function repoUpdate(ctx: KcContext, names: string[] = []): Promise<RepoUpdateResult[]> {
  const repos = names.length ? names.map((n) => repositoryNamed(ctx, n)) : loadRepositories(ctx);
  if (repos.length === 0) throw new KcError('REPO_NOT_FOUND', 'no repositories to update', { hint: 'add one with `kc repo add NAME URL`' });
  const results: RepoUpdateResult[] = [];
  for (const repo of repos) {
    try {
      const index = await refreshIndex(ctx.http, ctx, repo);
      results.push({ name: repo.name, ok: true, charts: Object.keys(index.entries).length });
    } catch (err) {
      if (!(err instanceof KcError)) throw err;
      results.push({ name: repo.name, ok: false, error: err.message });
    }
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length) {
    throw new KcError('FETCH_FAILED', `could not update ${failed.map((f) => f.name).join(', ')}`, {
      details: failed.map((f) => `${f.name}: ${f.error}`),
      hint: `the other repositories were updated (${results.filter((r) => r.ok).map((r) => r.name).join(', ') || 'none'}); check the URLs with \`kc repo list\``,
    });
  }
  return results;
}

/** `kc repo remove NAME`: forgets a repository and its cached index. */
export function repoRemove(ctx: KcContext, name: string): Repository {
  const repo = repositoryNamed(ctx, name);
  saveRepositories(ctx, loadRepositories(ctx).filter((r) => r.name !== name));
  fs.rmSync(indexCacheFile(ctx, name), { force: true });
  return repo;
}

/** The cached index of every added repository (for search); repositories never downloaded are listed apart. */
export function cachedIndexes(ctx: KcContext): { indexes: { repo: string; index: RepoIndex }[]; missing: string[] } {
  const indexes: { repo: string; index: RepoIndex }[] = [];
  const missing: string[] = [];
  for (const repo of loadRepositories(ctx)) {
    const index = cachedIndex(ctx, repo.name);
    if (index) indexes.push({ repo: repo.name, index });
    else missing.push(repo.name);
  }
  return { indexes, missing };
}
