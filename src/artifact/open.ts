import { KcError } from '../errors/index.js';
import { ARTIFACT_FORMAT_VERSION, ENTRY, dependencyEntry, manifestSchema, sha256, type ArtifactManifest } from './format.js';
import { DEFAULT_ARCHIVE_LIMITS, readArchive, type ArchiveLimits } from './tar-read.js';

/** A chart artifact read and verified in memory. */
export interface OpenedArtifact {
  manifest: ArtifactManifest;
  /** Every file of the archive, by path. */
  files: Map<string, Buffer>;
  /** sha256 of the .tgz itself. */
  digest: string;
}

function invalid(label: string, reason: string): KcError {
  return new KcError('ARTIFACT_INVALID', `${label} is not a valid kc chart artifact: ${reason}`, {
    hint: 'package the chart with `kc package CHART_DIR`',
  });
}

function parseManifest(bytes: Buffer | undefined, label: string): ArtifactManifest {
  if (!bytes) throw invalid(label, `it has no ${ENTRY.manifest}`);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw invalid(label, `${ENTRY.manifest} is not JSON (${(err as Error).message})`);
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > ARTIFACT_FORMAT_VERSION) {
    throw new KcError('ARTIFACT_INVALID', `${label} has artifact format ${version}; this kc reads format ${ARTIFACT_FORMAT_VERSION}`, {
      hint: 'upgrade kc to install this chart',
    });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(label, `${ENTRY.manifest}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Checks that the bytes the manifest vouches for are the bytes in the archive. */
function verifyContents(manifest: ArtifactManifest, files: Map<string, Buffer>, label: string): void {
  const bundle = files.get(ENTRY.bundle);
  if (!bundle) throw invalid(label, `it has no ${ENTRY.bundle}`);
  if (!files.has(ENTRY.sourceMap)) throw invalid(label, `it has no ${ENTRY.sourceMap}`);
  const actual = sha256(bundle);
  if (actual !== manifest.bundle.digest) {
    throw new KcError('INTEGRITY_MISMATCH', `${label}: ${ENTRY.bundle} has sha256 ${actual}, but its manifest says ${manifest.bundle.digest}`, {
      hint: 'the artifact was modified after packaging; download or package it again',
    });
  }
  if (manifest.readme && !files.has(manifest.readme)) throw invalid(label, `it has no ${manifest.readme}, which its manifest lists`);
  for (const dep of manifest.dependencies) {
    const file = dependencyEntry(dep);
    const data = files.get(file);
    if (!data) throw invalid(label, `it has no ${file}, which its manifest lists as a dependency`);
    const digest = sha256(data);
    if (digest !== dep.digest) {
      throw new KcError('INTEGRITY_MISMATCH', `${label}: dependency ${file} has sha256 ${digest}, but the manifest says ${dep.digest}`, {
        hint: 'the artifact was modified after packaging; download or package it again',
      });
    }
  }
}

/** Reads a .tgz safely, then validates its manifest and the digests it records. */
export async function openArtifact(archive: Buffer, label: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<OpenedArtifact> {
  const files = await readArchive(archive, label, limits);
  const manifest = parseManifest(files.get(ENTRY.manifest), label);
  verifyContents(manifest, files, label);
  return { manifest, files, digest: sha256(archive) };
}

/** Throws INTEGRITY_MISMATCH unless `archive` has the digest a repository index (or lock file) promised. */
export function verifyDigest(archive: Buffer, expected: string, label: string, source: string): void {
  const actual = sha256(archive);
  if (actual !== expected) {
    throw new KcError('INTEGRITY_MISMATCH', `${label} has sha256 ${actual}, but ${source} says ${expected}`, {
      hint: 'the file was changed after it was published (or the download was damaged); refusing to use it',
    });
  }
}
