import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BuiltBundle } from './build.js';

/** What the cache remembers of a build: the bundle's digest and the size and mtime of every input. */
interface CacheIndex {
  digest: string;
  inputs: [file: string, mtimeMs: number, size: number][];
}

function writeAtomic(file: string, text: string): void {
  // Write then rename, so a concurrent kc never reads a half-written file.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

const dirOf = (cacheDir: string) => path.join(cacheDir, 'bundles');

function bundleAt(cacheDir: string, digest: string, sourceRoot: string): BuiltBundle {
  const file = path.join(dirOf(cacheDir), `${digest}.cjs`);
  return { file, mapFile: `${file}.map`, digest, sourceRoot };
}

/** The cached bundle for `key`, when every input it was built from is unchanged; else undefined. */
export function cachedBundle(cacheDir: string, key: string, sourceRoot: string): BuiltBundle | undefined {
  let index: CacheIndex;
  try {
    index = JSON.parse(fs.readFileSync(path.join(dirOf(cacheDir), `inputs-${key}.json`), 'utf8')) as CacheIndex;
  } catch {
    return undefined;
  }
  for (const [file, mtimeMs, size] of index.inputs) {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st || st.mtimeMs !== mtimeMs || st.size !== size) return undefined;
  }
  const bundle = bundleAt(cacheDir, index.digest, sourceRoot);
  return fs.existsSync(bundle.file) && fs.existsSync(bundle.mapFile) ? bundle : undefined;
}

/** Stores a freshly built bundle by digest and records its inputs under `key`. */
export function saveBundle(cacheDir: string, key: string, built: { code: string; map: string; inputs: string[]; sourceRoot: string }): BuiltBundle {
  fs.mkdirSync(dirOf(cacheDir), { recursive: true });
  const digest = crypto.createHash('sha256').update(built.code).digest('hex');
  const bundle = bundleAt(cacheDir, digest, built.sourceRoot);
  if (!fs.existsSync(bundle.file)) {
    writeAtomic(bundle.mapFile, built.map);
    writeAtomic(bundle.file, built.code);
  }
  const inputs = built.inputs.map((file): CacheIndex['inputs'][number] => {
    const st = fs.statSync(file);
    return [file, st.mtimeMs, st.size];
  });
  writeAtomic(path.join(dirOf(cacheDir), `inputs-${key}.json`), JSON.stringify({ digest, inputs } satisfies CacheIndex));
  return bundle;
}
