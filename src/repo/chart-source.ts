// Packaged charts named on the command line: a .tgz file, an http(s) URL, or `repo/chart[@range]`.
import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_ARCHIVE_LIMITS, artifactFileName, cachedArtifact, extractArtifact, openArtifact, sha256,
  type ExtractedArtifact, type OpenedArtifact,
} from '../artifact/index.js';
import { KcError } from '../errors/index.js';
import type { RegistryContext } from '../oci/open-registry.js';
import { cachedIndex, isHttpUrl, repositoryNamed, REPO_NAME, type RepoPaths } from './config.js';
import { downloadEntry, refreshIndex, selectVersion } from './client.js';
import type { HttpClient } from './http.js';
import { displayUrl } from './redirect-policy.js';

/** A packaged chart: a local artifact, a URL, or a chart in an added repository. */
export type PackagedSource =
  | { kind: 'artifact'; file: string }
  | { kind: 'url'; url: string }
  | { kind: 'repo'; repo: string; chart: string; version?: string }
  /** `oci://host/path/name[:tag][@digest]`, as given (parsed when it is fetched). */
  | { kind: 'oci'; ref: string };

/** Which artifact a packaged chart came from: what the release records. */
export interface ChartOrigin {
  /** `oci://host/path/name:tag` (or `@sha256:…` when pulled by digest). */
  source: string;
  /** The OCI manifest's digest, `sha256:…`. */
  digest: string;
}

/** What resolving a packaged chart needs (for oci:// charts: the registry options, credentials and client). */
export interface SourceContext extends RepoPaths, RegistryContext {
  http: HttpClient;
  cwd: string;
}

const REF = /^([a-zA-Z0-9][a-zA-Z0-9_-]*)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?:@(.+))?$/;

/** Classifies text that is not an existing directory: a URL, a `.tgz` path, or `repo/chart[@range]`; else undefined. */
export function parsePackagedSource(input: string, cwd: string, exists: (file: string) => boolean): PackagedSource | undefined {
  if (/^oci:\/\//i.test(input)) return { kind: 'oci', ref: input };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    if (!isHttpUrl(input)) throw new KcError('USAGE', `${input}: only http:// and https:// chart URLs are supported`, { hint: 'download the chart and pass the .tgz file' });
    return { kind: 'url', url: input };
  }
  const file = path.resolve(cwd, input);
  if (/\.tgz$/i.test(input)) {
    if (!exists(file)) throw new KcError('CHART_NOT_FOUND', `${input} does not exist`, { hint: 'pass the path of a chart archive made by `kc package`' });
    return { kind: 'artifact', file };
  }
  if (exists(file)) return undefined;
  const ref = REF.exec(input);
  if (ref && REPO_NAME.test(ref[1])) return { kind: 'repo', repo: ref[1], chart: ref[2], version: ref[4] };
  return undefined;
}

/** A packaged chart's archive, opened and verified (digest against the index for repository charts). */
export interface FetchedChart {
  opened: OpenedArtifact;
  archive: Buffer;
  /** Where it came from, for messages. */
  label: string;
  /** Set for charts from an OCI registry. */
  origin?: ChartOrigin;
}

/** A packaged chart unpacked in the cache, and where it came from. */
export type OpenedChart = ExtractedArtifact & { origin?: ChartOrigin };

function readLocal(file: string, cwd: string): Buffer {
  const label = path.relative(cwd, file) || file;
  const size = fs.statSync(file).size;
  if (size > DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes) {
    throw new KcError('ARCHIVE_UNSAFE', `${label} is refused: it is larger than ${DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes / 1024 / 1024} MiB`, { hint: 'chart archives are small; check the file' });
  }
  return fs.readFileSync(file);
}

/** A repository chart's index entry (the index downloaded when never fetched), and its repository. */
export async function repoEntry(ctx: SourceContext, source: Extract<PackagedSource, { kind: 'repo' }>, version: string | undefined) {
  const repo = (() => {
    try {
      return repositoryNamed(ctx, source.repo);
    } catch (err) {
      // `charts/mysqll` may be a mistyped path as well as a reference to a repository chart: say both.
      if (!(err instanceof KcError) || err.code !== 'REPO_NOT_FOUND') throw err;
      throw new KcError('REPO_NOT_FOUND', `${source.repo}/${source.chart} is not a local path, and there is no repository named "${source.repo}"`, { hint: err.hint });
    }
  })();
  // An index never downloaded is fetched now; a stale one is what `kc repo update` is for (as with Helm).
  const index = cachedIndex(ctx, repo.name) ?? (await refreshIndex(ctx.http, ctx, repo));
  const entry = selectVersion(index, source.chart, version ?? source.version, `repository ${repo.name}`);
  return { repo, entry };
}

/** Downloads or reads a packaged chart and verifies it, without unpacking it (`kc pull`, `kc dependency update`). */
export async function fetchPackagedChart(ctx: SourceContext, source: PackagedSource, version?: string): Promise<FetchedChart> {
  // Registry code loads only for oci:// charts (start-up time is a feature).
  if (source.kind === 'oci') return (await import('../oci/chart-source.js')).fetchOciChart(ctx, source.ref, version);
  if (source.kind === 'artifact') {
    const label = path.relative(ctx.cwd, source.file) || source.file;
    const archive = readLocal(source.file, ctx.cwd);
    return { opened: await openArtifact(archive, label), archive, label };
  }
  if (source.kind === 'url') {
    const archive = (await ctx.http.fetch(source.url, { maxBytes: DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes })).body;
    const label = displayUrl(source.url);
    return { opened: await openArtifact(archive, label), archive, label };
  }
  const { repo, entry } = await repoEntry(ctx, source, version);
  const label = `${repo.name}/${artifactFileName(entry.name, entry.version)}`;
  const archive = await downloadEntry(ctx.http, entry, repo.url, `repository ${repo.name}`);
  const opened = await openArtifact(archive, label);
  checkIdentity(opened, entry.name, entry.version, label);
  return { opened, archive, label };
}

/** Refuses an archive whose manifest names another chart or version than the index promised. */
export function checkIdentity(opened: OpenedArtifact, name: string, version: string, label: string): void {
  const m = opened.manifest;
  if (m.name !== name || m.version !== version) {
    throw new KcError('INTEGRITY_MISMATCH', `${label} contains ${m.name} ${m.version}, not ${name} ${version}`, {
      hint: 'the repository index does not match its files; ask its maintainer to run `kc repo index` again',
    });
  }
}

/**
 * A packaged chart unpacked in the cache, ready to run in the sandbox. Repository charts whose digest is already
 * unpacked need no download at all.
 */
export async function openPackagedChart(
  ctx: SourceContext,
  source: PackagedSource,
  version?: string,
): Promise<OpenedChart> {
  if (source.kind === 'oci') return (await import('../oci/chart-source.js')).openOciChart(ctx, source.ref, version);
  if (source.kind === 'artifact') {
    const archive = readLocal(source.file, ctx.cwd);
    const cached = cachedArtifact(ctx.cacheDir, sha256(archive));
    if (cached) return cached;
    return extractArtifact(ctx.cacheDir, await openArtifact(archive, path.relative(ctx.cwd, source.file) || source.file));
  }
  if (source.kind === 'repo') {
    const { entry } = await repoEntry(ctx, source, version);
    const cached = cachedArtifact(ctx.cacheDir, entry.digest);
    if (cached) return cached;
  }
  return extractArtifact(ctx.cacheDir, (await fetchPackagedChart(ctx, source, version)).opened);
}
