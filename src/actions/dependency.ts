import fs from 'node:fs';
import path from 'node:path';
import {
  ENTRY, LOCK_FILE, declaredDependencies, dependencyEntry, lockJson, lockProblems, openArtifact, readLock, writeFileAtomic,
  type DeclaredDependency, type LockedDependency,
} from '../artifact/index.js';
import { locateTarget } from '../config/locate.js';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import type { RegistryOptions } from '../oci/options.js';
import { isOciReference } from '../oci/reference.js';
import { checkIdentity, downloadEntry, fetchIndex, isHttpUrl, refreshIndex, repositoryNamed, selectVersion, type RepoIndex } from '../repo/index.js';
import { compareText } from '../compare-text.js';

/** A chart directory and the dependencies its package.json declares. */
function chartDir(ctx: KcContext, chart: string): { dir: string; label: string; declared: DeclaredDependency[] } {
  const target = locateTarget(ctx.fs, ctx.cwd, chart);
  if (target.kind !== 'chart') throw new KcError('USAGE', `${chart} is a project, not a chart directory`, { hint: 'pass a chart directory whose package.json declares kc.dependencies' });
  const label = path.relative(ctx.cwd, target.dir) || '.';
  return { dir: target.dir, label, declared: declaredDependencies(target.packageJson, path.join(label, 'package.json')) };
}

/** What `kc dependency update` did. */
export interface DependencyUpdateResult {
  lockFile: string;
  dependencies: LockedDependency[];
  /** Old archives removed from charts/. */
  removed: string[];
}

async function indexOf(ctx: KcContext, repository: string): Promise<{ index: RepoIndex; url: string; where: string }> {
  if (isHttpUrl(repository)) return { index: (await fetchIndex(ctx.http, repository)).index, url: repository, where: repository };
  const repo = repositoryNamed(ctx, repository);
  // Always the repository's current index: locking from a stale cache would pin old versions.
  return { index: await refreshIndex(ctx.http, ctx, repo), url: repo.url, where: `repository ${repo.name}` };
}

/**
 * `kc dependency update CHART_DIR`: resolves each declared dependency to the newest version its range allows,
 * downloads and verifies it into charts/, and writes kc.lock.json with exact versions and digests.
 */
export async function dependencyUpdate(
  ctx: KcContext,
  chart: string,
  options: { registry?: RegistryOptions } = {},
): Promise<DependencyUpdateResult> {
  const { dir, declared } = chartDir(ctx, chart);
  const indexes = new Map<string, Awaited<ReturnType<typeof indexOf>>>();
  const repositories = [...new Set(declared.map((d) => d.repository))].filter((r) => !isOciReference(r)).sort();
  for (const repository of repositories) indexes.set(repository, await indexOf(ctx, repository));
  const locked: LockedDependency[] = [];
  const downloads: { file: string; archive: Buffer }[] = [];
  for (const dep of declared) {
    if (isOciReference(dep.repository)) {
      // oci://HOST/PATH holds the chart as PATH/<name>, as `kc push` stores it; the range is resolved over its tags.
      const ref = `${dep.repository.replace(/\/+$/, '')}/${dep.name}`;
      const { fetchOciChart } = await import('../oci/chart-source.js');
      const fetched = await fetchOciChart({ ...ctx, registry: options.registry }, ref, dep.version);
      const { version } = fetched.opened.manifest;
      const digest = fetched.opened.digest;
      locked.push({ name: dep.name, version, range: dep.version, repository: dep.repository, digest });
      downloads.push({ file: path.join(dir, dependencyEntry({ name: dep.name, version })), archive: fetched.archive });
      continue;
    }
    const { index, url, where } = indexes.get(dep.repository)!;
    const entry = selectVersion(index, dep.name, dep.version, where);
    const archive = await downloadEntry(ctx.http, entry, url, where);
    const label = `${dep.name}-${entry.version}.tgz from ${where}`;
    checkIdentity(await openArtifact(archive, label), entry.name, entry.version, label);
    locked.push({ name: dep.name, version: entry.version, range: dep.version, repository: dep.repository, digest: entry.digest });
    downloads.push({ file: path.join(dir, dependencyEntry(entry)), archive });
  }
  // Everything verified before anything in the chart directory changes.
  for (const d of downloads) writeFileAtomic(d.file, d.archive);
  const keep = new Set(downloads.map((d) => path.basename(d.file)));
  const chartsDir = path.join(dir, ENTRY.charts);
  const removed = fs.existsSync(chartsDir) ? fs.readdirSync(chartsDir).filter((f) => f.endsWith('.tgz') && !keep.has(f)).sort() : [];
  for (const f of removed) fs.rmSync(path.join(chartsDir, f));
  const lockFile = path.join(dir, LOCK_FILE);
  writeFileAtomic(lockFile, lockJson(locked));
  return { lockFile, dependencies: [...locked].sort((a, b) => compareText(a.name, b.name)), removed };
}

/** One declared dependency and where the lock stands on it. */
export interface DependencyStatus {
  name: string;
  range: string;
  repository: string;
  locked?: string;
}

/** `kc dependency list CHART_DIR`: the declared dependencies, their locked versions, and any reason the lock is stale. */
export function dependencyList(ctx: KcContext, chart: string): { dependencies: DependencyStatus[]; problems: string[] } {
  const { dir, declared } = chartDir(ctx, chart);
  const lock = readLock(dir);
  const locked = new Map((lock?.dependencies ?? []).map((d) => [d.name, d.version]));
  return {
    dependencies: declared.map((d) => ({ name: d.name, range: d.version, repository: d.repository, locked: locked.get(d.name) })),
    problems: lockProblems(dir, declared, lock),
  };
}
