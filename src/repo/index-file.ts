// index.yaml: what a chart repository serves, and what `kc repo index` writes.
import semver from 'semver';
import { parse, stringify } from 'yaml';
import { CHART_NAME, type ArtifactManifest } from '../artifact/index.js';
import { KcError } from '../errors/index.js';
import * as z from '../zod-mini.js';

const entrySchema = z.object({
  name: z.string().check(z.regex(CHART_NAME)),
  version: z.string().check(z.refine((v) => semver.valid(v) === v, 'must be a semantic version')),
  appVersion: z.optional(z.string()),
  /** Helm's chart API version (v1, v2): set on entries of Helm charts, never on kc's. */
  apiVersion: z.optional(z.string()),
  description: z.optional(z.string()),
  keywords: z.optional(z.array(z.string())),
  digest: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be a sha256 digest')),
  urls: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  created: z.optional(z.string()),
});

const indexSchema = z.object({
  apiVersion: z.literal('v1'),
  generated: z.optional(z.string()),
  entries: z._default(z.record(z.string(), z.array(entrySchema)), {}),
});

/** One version of one chart in a repository. */
export type IndexEntry = z.output<typeof entrySchema>;

/** A repository index: every version of every chart, newest first. */
export type RepoIndex = z.output<typeof indexSchema>;

/** What `kc repo index` learns of one .tgz in the folder. */
export interface IndexedArtifact {
  manifest: ArtifactManifest;
  digest: string;
  fileName: string;
}

/** Parses and validates index.yaml text (`label` names its source in errors). */
export function parseIndex(text: string, label: string): RepoIndex {
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new KcError('REPO_INDEX_INVALID', `${label} is not valid YAML: ${(err as Error).message.split('\n')[0]}`, { hint: 'regenerate it with `kc repo index`' });
  }
  const parsed = indexSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KcError('REPO_INDEX_INVALID', `${label} is not a chart repository index: ${issue.path.join('.') || '(root)'}: ${issue.message}`, {
      hint: 'the URL must serve an index.yaml written by `kc repo index`',
    });
  }
  for (const [name, versions] of Object.entries(parsed.data.entries)) {
    const wrong = versions.find((v) => v.name !== name);
    if (wrong) throw new KcError('REPO_INDEX_INVALID', `${label}: entry ${wrong.name}-${wrong.version} is listed under ${name}`, { hint: 'regenerate it with `kc repo index`' });
  }
  return parsed.data;
}

function entryOrder(e: IndexEntry): IndexEntry {
  return {
    name: e.name,
    version: e.version,
    ...(e.appVersion !== undefined ? { appVersion: e.appVersion } : {}),
    ...(e.description !== undefined ? { description: e.description } : {}),
    ...(e.keywords?.length ? { keywords: e.keywords } : {}),
    digest: e.digest,
    urls: e.urls,
    ...(e.created !== undefined ? { created: e.created } : {}),
  };
}

/** index.yaml text: charts by name, versions newest first, keys in a fixed order. */
export function serializeIndex(index: RepoIndex): string {
  const entries: Record<string, IndexEntry[]> = {};
  for (const name of Object.keys(index.entries).sort()) {
    entries[name] = [...index.entries[name]].sort((a, b) => semver.rcompare(a.version, b.version)).map(entryOrder);
  }
  return stringify({ apiVersion: 'v1', entries, ...(index.generated ? { generated: index.generated } : {}) }, { lineWidth: 0 });
}

/** The URL an index lists for a file: absolute under `baseUrl`, or relative to the index when none is given. */
export function chartUrl(baseUrl: string | undefined, fileName: string): string {
  return baseUrl ? `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(fileName)}` : fileName;
}

/**
 * An index of `artifacts`, merged over `existing` (entries the folder lacks are kept; a version present in both
 * keeps its original `created`, so re-indexing a folder changes only what changed).
 */
export function buildIndex(artifacts: readonly IndexedArtifact[], options: { baseUrl?: string; now: Date; existing?: RepoIndex }): RepoIndex {
  const now = options.now.toISOString();
  const entries: Record<string, IndexEntry[]> = {};
  for (const [name, versions] of Object.entries(options.existing?.entries ?? {})) entries[name] = versions.map((v) => ({ ...v }));
  const fresh = new Map<string, string>();
  for (const a of artifacts) {
    const { name, version } = a.manifest;
    const key = `${name}@${version}`;
    if (fresh.has(key)) {
      throw new KcError('USAGE', `${a.fileName} and ${fresh.get(key)} are both ${name} ${version}`, { hint: 'keep one file per chart version in the folder' });
    }
    fresh.set(key, a.fileName);
    const list = (entries[name] ??= []);
    const previous = list.findIndex((e) => e.version === version);
    const entry: IndexEntry = {
      name,
      version,
      appVersion: a.manifest.appVersion,
      description: a.manifest.description,
      keywords: a.manifest.keywords,
      digest: a.digest,
      urls: [chartUrl(options.baseUrl, a.fileName)],
      created: previous >= 0 ? (list[previous].created ?? now) : now,
    };
    if (previous >= 0) list[previous] = entry;
    else list.push(entry);
  }
  return { apiVersion: 'v1', generated: now, entries };
}
