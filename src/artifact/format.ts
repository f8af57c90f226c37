// The chart artifact format (version 1): a deterministic .tgz holding manifest.json, the bundle, its
// source map, the README and the locked dependency artifacts.
import crypto from 'node:crypto';
import semver from 'semver';
import * as z from '../zod-mini.js';

/** The artifact format this kc writes and reads. */
export const ARTIFACT_FORMAT_VERSION = 1;

/** Names of the entries of an artifact. */
export const ENTRY = {
  manifest: 'manifest.json',
  bundle: 'chart.cjs',
  sourceMap: 'chart.cjs.map',
  readme: 'README.md',
  /** Folder of dependency artifacts, inside the archive and in a chart directory. */
  charts: 'charts',
} as const;

/** Chart names are DNS labels, like release names, so `<release>-<chart>` stays a valid name. */
export const CHART_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const semverText = z.string().check(z.refine((v) => semver.valid(v) === v, 'must be a semantic version such as 1.2.3'));
const hex64 = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be a sha256 digest (64 hex digits)'));

/** A dependency as locked and shipped inside an artifact. */
export const lockedDependencySchema = z.strictObject({
  name: z.string().check(z.regex(CHART_NAME)),
  version: semverText,
  /** The range package.json declares. */
  range: z.string().check(z.minLength(1)),
  /** Repository name or URL, as declared. */
  repository: z.string().check(z.minLength(1)),
  /** sha256 of the dependency's .tgz. */
  digest: hex64,
});

/** Validates manifest.json. */
export const manifestSchema = z.strictObject({
  formatVersion: z.literal(ARTIFACT_FORMAT_VERSION),
  name: z.string().check(z.regex(CHART_NAME, 'must be a DNS label (lowercase letters, digits, "-")')),
  version: semverText,
  appVersion: z.optional(z.string().check(z.minLength(1))),
  description: z.optional(z.string()),
  keywords: z.array(z.string()),
  kcVersion: z.string().check(z.minLength(1)),
  bundle: z.strictObject({ file: z.literal(ENTRY.bundle), sourceMap: z.literal(ENTRY.sourceMap), digest: hex64 }),
  values: z.strictObject({ schema: z.record(z.string(), z.unknown()), defaults: z.record(z.string(), z.unknown()) }),
  dependencies: z.array(lockedDependencySchema),
  readme: z.optional(z.literal(ENTRY.readme)),
});

/** The manifest of a chart artifact. */
export type ArtifactManifest = z.output<typeof manifestSchema>;

/** A dependency recorded in a lock file and a manifest. */
export type LockedDependency = z.output<typeof lockedDependencySchema>;

/** `<name>-<version>.tgz`, the file name of an artifact (and of its entry in a repository). */
export function artifactFileName(name: string, version: string): string {
  return `${name}-${version}.tgz`;
}

/** Where a dependency's artifact lives, in a chart directory and inside an archive. */
export function dependencyEntry(dep: { name: string; version: string }): string {
  return `${ENTRY.charts}/${artifactFileName(dep.name, dep.version)}`;
}

/** Hex sha256 of some bytes. */
export function sha256(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** The manifest as JSON with a fixed key order, so the same chart always gives the same bytes. */
export function manifestJson(m: ArtifactManifest): string {
  const ordered = {
    formatVersion: m.formatVersion,
    name: m.name,
    version: m.version,
    ...(m.appVersion !== undefined ? { appVersion: m.appVersion } : {}),
    ...(m.description !== undefined ? { description: m.description } : {}),
    keywords: m.keywords,
    kcVersion: m.kcVersion,
    bundle: { file: m.bundle.file, sourceMap: m.bundle.sourceMap, digest: m.bundle.digest },
    values: { schema: m.values.schema, defaults: m.values.defaults },
    dependencies: m.dependencies.map((d) => ({ name: d.name, version: d.version, range: d.range, repository: d.repository, digest: d.digest })),
    ...(m.readme ? { readme: m.readme } : {}),
  };
  return JSON.stringify(ordered, null, 2) + '\n';
}

/** A byte count for messages: 512 B, 1.5 KiB, 64 MiB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / 1024 / 1024, 'MiB'];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}
