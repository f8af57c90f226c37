import fs from 'node:fs';
import path from 'node:path';
import { kcRoot } from '../kc-root.js';
import { ARTIFACT_FORMAT_VERSION, ENTRY, dependencyEntry, manifestJson, sha256, type ArtifactManifest, type LockedDependency } from './format.js';
import { deterministicTgz, type ArchiveFile } from './tar-write.js';
import { compareText } from '../compare-text.js';

/** Everything an artifact is made of, already built and validated. */
export interface PackInput {
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  keywords: string[];
  bundleCode: Buffer;
  sourceMap: Buffer;
  valuesSchema: Record<string, unknown>;
  valuesDefaults: Record<string, unknown>;
  readme?: Buffer;
  /** Locked dependencies and their artifacts' bytes. */
  dependencies: { locked: LockedDependency; archive: Buffer }[];
}

let version: string | undefined;

/** The running kc's version, recorded in every manifest it writes. */
export function kcVersion(): string {
  version ??= (JSON.parse(fs.readFileSync(path.join(kcRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}

/** The manifest and the deterministic .tgz of a chart. */
export function packArtifact(input: PackInput): { manifest: ArtifactManifest; archive: Buffer } {
  const manifest: ArtifactManifest = {
    formatVersion: ARTIFACT_FORMAT_VERSION,
    name: input.name,
    version: input.version,
    appVersion: input.appVersion,
    description: input.description,
    keywords: input.keywords,
    kcVersion: kcVersion(),
    bundle: { file: ENTRY.bundle, sourceMap: ENTRY.sourceMap, digest: sha256(input.bundleCode) },
    values: { schema: input.valuesSchema, defaults: input.valuesDefaults },
    dependencies: input.dependencies.map((d) => d.locked).sort((a, b) => compareText(a.name, b.name)),
    readme: input.readme ? ENTRY.readme : undefined,
  };
  const files: ArchiveFile[] = [
    { path: ENTRY.manifest, data: Buffer.from(manifestJson(manifest)) },
    { path: ENTRY.bundle, data: input.bundleCode },
    { path: ENTRY.sourceMap, data: input.sourceMap },
    ...(input.readme ? [{ path: ENTRY.readme, data: input.readme }] : []),
    ...input.dependencies.map((d) => ({ path: dependencyEntry(d.locked), data: d.archive })),
  ];
  return { manifest, archive: deterministicTgz(files) };
}
