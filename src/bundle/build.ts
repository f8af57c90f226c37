// The only module that imports esbuild.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as esbuild from 'esbuild';
import { KcError } from '../errors/index.js';
import { kcRoot } from '../kc-root.js';
import { cdk8sIncludePlugin } from './cdk8s-include-plugin.js';
import { cachedBundle, saveBundle } from './cache.js';
import { dynamicImport } from '../dynamic-import.js';

/** A bundle in the cache: CommonJS code, its source map, and the sha256 of the code. */
export interface BuiltBundle {
  file: string;
  mapFile: string;
  digest: string;
  /** Directory the source map's paths are relative to. */
  sourceRoot: string;
  /** The cache's key for what was bundled (set by buildBundle): a later run finds the bundle again by it. */
  key?: string;
}

/** What to bundle: the text of a generated entry module and the folder its imports resolve from. */
export interface BundleRequest {
  entry: string;
  resolveDir: string;
  /** Names the thing being bundled in error messages (a project or chart path). */
  label: string;
}

let installedEsbuild: string | undefined;

/**
 * The installed esbuild's version, read from its package.json (cheaper than loading esbuild). Resolved as Node
 * would: in a project that installed kc, npm may hoist esbuild out of kc's node_modules.
 */
function esbuildVersion(root: string): string {
  if (installedEsbuild) return installedEsbuild;
  const file = createRequire(path.join(root, 'package.json')).resolve('esbuild/package.json');
  return (installedEsbuild = (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version);
}

function formatMessage(m: esbuild.Message, cwd: string): string {
  const loc = m.location;
  if (!loc) return m.text;
  return `${path.relative(cwd, path.resolve(loc.file)) || loc.file}:${loc.line}:${loc.column + 1}: ${m.text}`;
}

/** Changes when kc bundles differently from the same inputs (2: cdk8s's Include reads files without _loadurl.mjs). */
const BUILD_OPTIONS_VERSION = 2;

/**
 * Bundles an entry with everything it imports (cdk8s, cdk8s-plus, zod, the kc SDK) into one CommonJS file,
 * or returns the cached bundle when no input file changed since it was built.
 * `kc/chart` always resolves to this kc's SDK, and packages the project lacks resolve from kc's own install.
 */
export async function buildBundle(request: BundleRequest, cwd: string, cacheDir: string): Promise<BuiltBundle> {
  const root = kcRoot();
  const sourceRoot = path.join(root, '.kc-bundle');
  const key = crypto.createHash('sha256').update(JSON.stringify([request.entry, request.resolveDir, root, esbuildVersion(root), BUILD_OPTIONS_VERSION])).digest('hex');
  const cached = cachedBundle(cacheDir, key, sourceRoot);
  if (cached) return { ...cached, key };
  // Loaded only on a cache miss: most runs never start esbuild.
  const esbuild = await dynamicImport<typeof import('esbuild')>('esbuild');
  let result: esbuild.BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild.build({
      stdin: { contents: request.entry, resolveDir: request.resolveDir, sourcefile: 'kc-entry.ts', loader: 'ts' },
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: path.join(sourceRoot, 'bundle.cjs'),
      write: false,
      metafile: true,
      sourcemap: 'external',
      sourcesContent: false,
      legalComments: 'none',
      charset: 'utf8',
      logLevel: 'silent',
      alias: {
        'kc/chart': path.join(root, 'src/chart/index.ts'),
        'kc/config': path.join(root, 'src/config/define-config.ts'),
      },
      nodePaths: [path.join(root, 'node_modules')],
      plugins: [cdk8sIncludePlugin(root)],
    });
  } catch (err) {
    const failure = err as esbuild.BuildFailure;
    if (!Array.isArray(failure.errors)) throw err;
    throw new KcError('BUNDLE_FAILED', `cannot bundle ${request.label}: ${failure.errors[0]?.text ?? 'esbuild failed'}`, {
      details: failure.errors.map((m) => formatMessage(m, cwd)),
      hint: 'fix the error at the location shown; packages the code imports must be installed (npm install)',
    });
  }
  const code = result.outputFiles.find((f) => f.path.endsWith('.cjs'))!.text;
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'))!.text;
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => p !== '<stdin>')
    .map((p) => path.resolve(root, p))
    .filter((p) => fs.existsSync(p));
  return { ...saveBundle(cacheDir, key, { code, map, inputs, sourceRoot }), key };
}
