import path from 'node:path';
import type { ChartDescription } from '../chart/protocol.js';
import { buildBundle, chartEntry } from '../bundle/index.js';
import { describeBundle } from '../synth/describe.js';
import { locateSource } from '../config/locate.js';
import { openPackagedChart } from '../repo/index.js';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import type { ArtifactManifest } from '../artifact/index.js';
import type { RegistryOptions } from '../oci/options.js';
import { defaultsOf, valuesDocument, type JsonSchema } from '../values/index.js';

/** A chart's identity, values schema, defaults and README, read without synthesizing it. */
export interface ChartSummary extends ChartDescription {
  dir: string;
  defaults: Record<string, unknown>;
  readme?: string;
}

/** Options of `kc show`. */
export interface ShowOptions {
  /** Version range of a repository or registry chart. */
  version?: string;
  /** The README is needed (a registry chart's archive is downloaded for it). */
  readme?: boolean;
  registry?: RegistryOptions;
}

function summaryOf(manifest: ArtifactManifest): Pick<ChartSummary, 'chart' | 'jsonSchema' | 'defaults'> {
  const { name, version, appVersion, description } = manifest;
  const info = { name, version, ...(appVersion ? { appVersion } : {}), ...(description ? { description } : {}) };
  return { chart: info, jsonSchema: manifest.values.schema, defaults: manifest.values.defaults };
}

/**
 * Loads what a chart declares about itself (`kc show chart|values|schema|readme`). A packaged chart is described
 * by its manifest and README alone: its code is never run for this.
 */
export async function showChart(ctx: KcContext, chart: string, options: ShowOptions = {}): Promise<ChartSummary> {
  const target = locateSource(ctx.fs, ctx.cwd, chart);
  if (target.kind === 'oci' && !options.readme) {
    // The config blob holds the metadata and the values schema: nothing else is downloaded.
    const { describeOciChart } = await import('../oci/chart-source.js');
    const described = await describeOciChart({ ...ctx, registry: options.registry }, target.ref, options.version);
    return { chart: described.chart, jsonSchema: described.jsonSchema, defaults: described.defaults, dir: '' };
  }
  if (target.kind === 'oci') {
    const opened = await openPackagedChart({ ...ctx, registry: options.registry }, target, options.version);
    const { manifest, dir, readme } = opened;
    return { ...summaryOf(manifest), dir, readme };
  }
  if (target.kind === 'artifact' || target.kind === 'url' || target.kind === 'repo') {
    const { manifest, dir, readme } = await openPackagedChart(ctx, target, options.version);
    return { ...summaryOf(manifest), dir, readme };
  }
  if (target.kind === 'helm') {
    throw new KcError('USAGE', `${chart} is a Helm chart: kc show reads kc charts`, {
      hint: `\`helm show values ${chart}\` shows its values; kc install, upgrade, template and diff take it as it is`,
    });
  }
  if (target.kind !== 'chart') {
    throw new KcError('CHART_NOT_FOUND', `${chart} is a project, not a chart`, {
      hint: 'pass a chart directory such as charts/mysql (the project\'s app imports its charts)',
    });
  }
  const label = path.relative(ctx.cwd, target.dir) || '.';
  const built = await buildBundle({ entry: chartEntry(target.entry), resolveDir: target.dir, label }, ctx.cwd, ctx.cacheDir);
  const description = await describeBundle(built, label, { signal: ctx.signal, cwd: ctx.cwd });
  const readmeFile = path.join(target.dir, 'README.md');
  const defaults = defaultsOf(description.jsonSchema as JsonSchema);
  return {
    ...description,
    dir: target.dir,
    defaults: (defaults ?? {}) as Record<string, unknown>,
    readme: ctx.fs.exists(readmeFile) ? ctx.fs.readText(readmeFile) : undefined,
  };
}

/** The chart's default values as commented YAML, like a values.yaml. */
export function defaultValuesYaml(summary: ChartSummary): string {
  return valuesDocument(summary.jsonSchema as JsonSchema, summary.defaults);
}
