// Which charts named on the command line are Helm charts, and where helm can read each one from.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_ARCHIVE_LIMITS, sha256, writeFileAtomic } from '../artifact/index.js';
import type { ChartInfo } from '../chart/protocol.js';
import type { Source } from '../config/locate.js';
import { KcError } from '../errors/index.js';
import { downloadEntry } from '../repo/client.js';
import { repoEntry, type ChartOrigin, type SourceContext } from '../repo/chart-source.js';
import { helmArchiveChartYaml, helmChartInfo } from './helm-chart-file.js';

/** A Helm chart where helm can read it (a directory or a .tgz), its identity, and where it came from. */
export interface HelmChartOnDisk {
  chartPath: string;
  label: string;
  chart: ChartInfo;
  /** Set for charts from an OCI registry: the reference and manifest digest the release records. */
  origin?: ChartOrigin;
}

/** Keeps a downloaded Helm chart archive in the cache, named by its digest, for helm to read. */
function cacheArchive(cacheDir: string, archive: Buffer): string {
  const file = path.join(cacheDir, 'helm-charts', `${sha256(archive)}.tgz`);
  if (!fs.existsSync(file)) writeFileAtomic(file, archive);
  return file;
}

/** A Helm chart archive given as bytes, or undefined when the archive is not a Helm chart. */
export async function helmArchiveOnDisk(
  ctx: SourceContext,
  archive: Buffer,
  label: string,
  origin?: ChartOrigin,
  file?: string,
): Promise<HelmChartOnDisk | undefined> {
  const chartYaml = await helmArchiveChartYaml(archive, label);
  if (chartYaml === undefined) return undefined;
  const chart = { ...helmChartInfo(chartYaml, label), ...(origin ?? {}) };
  return { chartPath: file ?? cacheArchive(ctx.cacheDir, archive), label, chart, ...(origin ? { origin } : {}) };
}

/**
 * The Helm chart a source names: a directory with Chart.yaml, a Helm .tgz, or a chart of a Helm repository (its
 * index entry says so); undefined for kc charts and projects. oci:// charts are told apart by their manifest
 * (see oci-helm-chart.ts).
 */
export async function helmChartOf(
  ctx: SourceContext,
  source: Source,
  version?: string,
): Promise<HelmChartOnDisk | undefined> {
  if (source.kind === 'helm') {
    const label = path.relative(ctx.cwd, source.dir) || '.';
    const chart = helmChartInfo(fs.readFileSync(path.join(source.dir, 'Chart.yaml'), 'utf8'), label);
    return { chartPath: source.dir, label, chart };
  }
  if (source.kind === 'artifact') {
    const label = path.relative(ctx.cwd, source.file) || source.file;
    if (fs.statSync(source.file).size > DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes) return undefined; // kc refuses it
    return helmArchiveOnDisk(ctx, fs.readFileSync(source.file), label, undefined, source.file);
  }
  if (source.kind === 'repo') {
    const { repo, entry } = await repoEntry(ctx, source, version);
    if (entry.apiVersion === undefined) return undefined; // written by `kc repo index`: a kc chart
    const label = `${repo.name}/${entry.name}-${entry.version}`;
    const archive = await downloadEntry(ctx.http, entry, repo.url, `repository ${repo.name}`);
    const found = await helmArchiveOnDisk(ctx, archive, label);
    if (!found) {
      throw new KcError('ARTIFACT_INVALID', `${label} is listed as a Helm chart but its archive holds none`, {
        hint: 'the repository index does not match its files; ask its maintainer to run `helm repo index` again',
      });
    }
    if (found.chart.name !== entry.name || found.chart.version !== entry.version) {
      const has = `${found.chart.name} ${found.chart.version}`;
      throw new KcError('INTEGRITY_MISMATCH', `${label} contains ${has}, not ${entry.name} ${entry.version}`, {
        hint: 'the repository index does not match its files; ask its maintainer to run `helm repo index` again',
      });
    }
    return found;
  }
  return undefined;
}
