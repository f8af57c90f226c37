import fs from 'node:fs';
import path from 'node:path';
import {
  ENTRY, artifactFileName, chartPackageOf, checkLock, checkVersion, dependencyEntry, packArtifact, sha256, writeFileAtomic,
  type ArtifactManifest,
} from '../artifact/index.js';
import { buildBundle, chartEntry } from '../bundle/index.js';
import { locateTarget } from '../config/locate.js';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import { describeBundle } from '../synth/describe.js';
import { defaultsOf, type JsonSchema } from '../values/index.js';

/** Options of `kc package`. */
export interface PackageOptions {
  /** Chart directory. */
  chart: string;
  /** Overrides package.json's version (in the file name, the manifest and every release made from it). */
  version?: string;
  /** Overrides package.json's appVersion. */
  appVersion?: string;
  /** Folder to write the .tgz into (default: the current directory). */
  destination?: string;
}

/** The artifact written. */
export interface PackageResult {
  file: string;
  /** sha256 of the .tgz. */
  digest: string;
  manifest: ArtifactManifest;
}

/** A chart packed in memory: the .tgz bytes, their sha256 and the manifest. */
export interface PackedChart {
  archive: Buffer;
  digest: string;
  manifest: ArtifactManifest;
}

/** Bundles a chart directory into its artifact in memory (`kc package`, `kc push CHART_DIR`). */
export async function packChart(ctx: KcContext, options: Omit<PackageOptions, 'destination'>): Promise<PackedChart> {
  const target = locateTarget(ctx.fs, ctx.cwd, options.chart);
  if (target.kind !== 'chart') {
    throw new KcError('USAGE', `${options.chart} is a project; kc package takes a chart directory`, { hint: 'pass a chart directory such as charts/mysql' });
  }
  const label = path.relative(ctx.cwd, target.dir) || '.';
  const pkg = chartPackageOf(target.packageJson, path.join(label, 'package.json'));
  const version = options.version === undefined ? pkg.version : checkVersion(options.version, '--version');
  const lock = checkLock(target.dir, pkg.dependencies, label);
  const dependencies = (lock?.dependencies ?? []).map((locked) => ({ locked, archive: fs.readFileSync(path.join(target.dir, dependencyEntry(locked))) }));

  const built = await buildBundle({ entry: chartEntry(target.entry), resolveDir: target.dir, label }, ctx.cwd, ctx.cacheDir);
  const description = await describeBundle(built, label, { signal: ctx.signal, cwd: ctx.cwd });
  if (description.chart.name !== pkg.name) {
    throw new KcError('CHART_INVALID', `${label}: the chart class is named "${description.chart.name}" but package.json says "${pkg.name}"`, {
      hint: 'set the chart\'s meta.name from package.json (`name: pkg.name`) so the two agree',
    });
  }
  const readmeFile = path.join(target.dir, ENTRY.readme);
  const { manifest, archive } = packArtifact({
    name: pkg.name,
    version,
    appVersion: options.appVersion ?? pkg.appVersion,
    description: pkg.description,
    keywords: pkg.keywords,
    bundleCode: fs.readFileSync(built.file),
    sourceMap: fs.readFileSync(built.mapFile),
    valuesSchema: description.jsonSchema,
    valuesDefaults: (defaultsOf(description.jsonSchema as JsonSchema) ?? {}) as Record<string, unknown>,
    readme: fs.existsSync(readmeFile) ? fs.readFileSync(readmeFile) : undefined,
    dependencies,
  });
  return { archive, digest: sha256(archive), manifest };
}

/** `kc package CHART_DIR`: bundles a chart and writes `<name>-<version>.tgz`, byte-identical for identical sources. */
export async function packageChart(ctx: KcContext, options: PackageOptions): Promise<PackageResult> {
  const { archive, digest, manifest } = await packChart(ctx, options);
  const folder = path.resolve(ctx.cwd, options.destination ?? '.');
  const file = path.join(folder, artifactFileName(manifest.name, manifest.version));
  writeFileAtomic(file, archive);
  return { file, digest, manifest };
}
