import path from 'node:path';
import { artifactFileName, writeFileAtomic, type ArtifactManifest } from '../artifact/index.js';
import { locateSource } from '../config/locate.js';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import type { RegistryOptions } from '../oci/options.js';
import { fetchPackagedChart, type ChartOrigin } from '../repo/index.js';
import { untarInto } from './untar.js';

/** Options of `kc pull`. */
export interface PullOptions {
  /** `repo/chart` or an http(s) URL of a .tgz. */
  chart: string;
  /** Semver range (repository charts); the newest stable version when unset. */
  version?: string;
  /** Folder to write into (default: the current directory). */
  destination?: string;
  /** How to reach an oci:// chart's registry, and the signatures it must carry. */
  registry?: RegistryOptions;
  /** Unpack into `<untarDir>/<name>` instead of keeping the .tgz (Helm's --untar). */
  untar?: boolean;
  /** Folder to unpack into, relative to the destination (default: the destination). */
  untarDir?: string;
}

/** What `kc pull` saved. */
export interface PullResult {
  /** The .tgz written, or with untar the folder it was unpacked into. */
  file: string;
  /** sha256 of the .tgz. */
  digest: string;
  manifest: ArtifactManifest;
  /** For oci:// charts: the reference and the manifest digest. */
  origin?: ChartOrigin;
}

/**
 * `kc pull repo/chart|oci://…`: downloads a chart archive, verifies it (digest against the index or the registry's
 * manifest, signatures when asked, safe contents) and saves it.
 */
export async function pull(ctx: KcContext, options: PullOptions): Promise<PullResult> {
  const source = locateSource(ctx.fs, ctx.cwd, options.chart);
  if (source.kind !== 'repo' && source.kind !== 'url' && source.kind !== 'oci') {
    throw new KcError('USAGE', `${options.chart} is not a repository chart, URL or oci:// reference`, {
      hint: 'pass repo/chart (see `kc search repo`), an http(s) URL of a .tgz, or oci://HOST/PATH/NAME',
    });
  }
  const fetched = await fetchPackagedChart({ ...ctx, registry: options.registry }, source, options.version);
  const { manifest } = fetched.opened;
  const destination = path.resolve(ctx.cwd, options.destination ?? '.');
  let file: string;
  if (options.untar) {
    // As Helm: the folder is relative to the destination, and the archive itself is not kept.
    file = path.join(path.resolve(destination, options.untarDir ?? '.'), manifest.name);
    untarInto(fetched.opened.files, file, artifactFileName(manifest.name, manifest.version));
  } else {
    file = path.join(destination, artifactFileName(manifest.name, manifest.version));
    writeFileAtomic(file, fetched.archive);
  }
  return { file, digest: fetched.opened.digest, manifest, ...(fetched.origin ? { origin: fetched.origin } : {}) };
}
