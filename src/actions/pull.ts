import path from 'node:path';
import { artifactFileName, writeFileAtomic, type ArtifactManifest } from '../artifact/index.js';
import { locateSource } from '../config/locate.js';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import { fetchPackagedChart } from '../repo/index.js';

/** Options of `kc pull`. */
export interface PullOptions {
  /** `repo/chart` or an http(s) URL of a .tgz. */
  chart: string;
  /** Semver range (repository charts); the newest stable version when unset. */
  version?: string;
  /** Folder to write into (default: the current directory). */
  destination?: string;
}

/** `kc pull repo/chart`: downloads a chart archive, verifies it (digest against the index, safe contents) and saves it. */
export async function pull(ctx: KcContext, options: PullOptions): Promise<{ file: string; digest: string; manifest: ArtifactManifest }> {
  const source = locateSource(ctx.fs, ctx.cwd, options.chart);
  if (source.kind !== 'repo' && source.kind !== 'url') {
    throw new KcError('USAGE', `${options.chart} is not a repository chart or URL`, { hint: 'pass repo/chart (see `kc search repo`) or an http(s) URL of a .tgz' });
  }
  const fetched = await fetchPackagedChart(ctx, source, options.version);
  const { manifest } = fetched.opened;
  const file = path.join(path.resolve(ctx.cwd, options.destination ?? '.'), artifactFileName(manifest.name, manifest.version));
  writeFileAtomic(file, fetched.archive);
  return { file, digest: fetched.opened.digest, manifest };
}
