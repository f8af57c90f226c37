import fs from 'node:fs';
import path from 'node:path';
import { KcError } from '../errors/index.js';
import { ENTRY, manifestSchema, sha256, type ArtifactManifest } from './format.js';
import type { OpenedArtifact } from './open.js';
import { compareText } from '../compare-text.js';

export { tempNameFor, writeFileAtomic } from '../io/write-atomic.js';

/** A verified artifact unpacked in the cache. */
export interface ExtractedArtifact {
  /** `<cacheDir>/artifacts/<digest>`: the only folder a sandboxed run may read. */
  dir: string;
  manifest: ArtifactManifest;
  /** sha256 of the .tgz. */
  digest: string;
  bundleFile: string;
  sourceMapFile: string;
  readme?: string;
}

const artifactsDir = (cacheDir: string) => path.join(cacheDir, 'artifacts');

function described(dir: string, manifest: ArtifactManifest, digest: string): ExtractedArtifact {
  const readmeFile = manifest.readme ? path.join(dir, manifest.readme) : undefined;
  return {
    dir,
    manifest,
    digest,
    bundleFile: path.join(dir, ENTRY.bundle),
    sourceMapFile: path.join(dir, ENTRY.sourceMap),
    readme: readmeFile && fs.existsSync(readmeFile) ? fs.readFileSync(readmeFile, 'utf8') : undefined,
  };
}

/** The artifact with this .tgz digest, when it was already unpacked and its bundle is intact; else undefined. */
export function cachedArtifact(cacheDir: string, digest: string): ExtractedArtifact | undefined {
  const dir = path.join(artifactsDir(cacheDir), digest);
  let manifest: ArtifactManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, ENTRY.manifest), 'utf8')));
    if (sha256(fs.readFileSync(path.join(dir, ENTRY.bundle))) !== manifest.bundle.digest) return undefined;
  } catch {
    return undefined;
  }
  return described(dir, manifest, digest);
}

/**
 * Writes a verified artifact's files under `<cacheDir>/artifacts/<digest>`: into a fresh temporary folder first,
 * renamed into place when complete, so a reader never sees half an artifact.
 */
export function extractArtifact(cacheDir: string, opened: OpenedArtifact): ExtractedArtifact {
  const existing = cachedArtifact(cacheDir, opened.digest);
  if (existing) return existing;
  const root = artifactsDir(cacheDir);
  fs.mkdirSync(root, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(root, `.tmp-${process.pid}-`));
  try {
    for (const [name, data] of [...opened.files].sort(([a], [b]) => compareText(a, b))) {
      const file = path.resolve(tmp, name);
      // readArchive already refused unsafe names; this is the last line of defence before writing.
      if (!file.startsWith(tmp + path.sep)) {
        throw new KcError('ARCHIVE_UNSAFE', `refusing to write ${name} outside the cache`, { hint: 'the archive was tampered with' });
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, data, { mode: 0o644 });
    }
    const dir = path.join(root, opened.digest);
    try {
      fs.renameSync(tmp, dir);
    } catch (err) {
      // Another kc unpacked the same artifact meanwhile: theirs is as good as ours.
      if (!fs.existsSync(dir)) throw err;
    }
    return described(dir, opened.manifest, opened.digest);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

