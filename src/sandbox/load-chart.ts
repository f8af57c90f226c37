import path from 'node:path';
import type { BundleExports } from '../chart/protocol.js';
import { checkLock, declaredDependencies, type ExtractedArtifact } from '../artifact/index.js';
import { buildBundle, chartEntry, loadBundle, type LoadedBundle } from '../bundle/index.js';
import type { Target } from '../config/locate.js';
import { openPackagedChart, type ChartOrigin, type PackagedSource, type SourceContext } from '../repo/index.js';
import { sandboxedBundle } from './bundle.js';

/** A chart ready to run: its default release name and a bundle whose `run` synthesizes it. */
export interface RunnableChart {
  name: string;
  loaded: LoadedBundle<BundleExports>;
  /** Set for packaged charts. */
  artifact?: ExtractedArtifact;
  /** Set for charts from an OCI registry: the reference and the digest they were installed from. */
  origin?: ChartOrigin;
}

/** What loading a chart needs from the context: the working directory, caches, settings, HTTP, and Ctrl-C's signal. */
export type LoadChartContext = SourceContext & { signal?: AbortSignal };

/**
 * Loads a chart for synthesis. A chart directory is the user's own code: bundled and run on a worker (after
 * checking its dependency lock). A packaged chart (.tgz, URL, repository) is someone else's: verified, unpacked
 * into the cache and run only in the sandbox.
 */
export async function loadChart(
  ctx: LoadChartContext,
  source: Extract<Target, { kind: 'chart' }> | PackagedSource,
  version?: string,
): Promise<RunnableChart> {
  if (source.kind === 'chart') {
    const label = path.relative(ctx.cwd, source.dir) || '.';
    checkLock(source.dir, declaredDependencies(source.packageJson, `${label}/package.json`), label);
    const built = await buildBundle({ entry: chartEntry(source.entry), resolveDir: source.dir, label }, ctx.cwd, ctx.cacheDir);
    return { name: String(source.packageJson?.name ?? path.basename(source.dir)), loaded: loadBundle<BundleExports>(built) };
  }
  const { origin, ...artifact } = await openPackagedChart(ctx, source, version);
  const loaded = sandboxedBundle(artifact, ctx.cacheDir, undefined, ctx.signal);
  return { name: artifact.manifest.name, loaded, artifact, ...(origin ? { origin } : {}) };
}
