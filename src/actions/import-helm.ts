// `kc import helm:CHART`: TypeScript types (and a zod schema) for a Helm chart's values, from its values.schema.json.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import type { RegistryOptions } from '../oci/options.js';

/** The prefix that names a Helm chart to `kc import`, as with `cdk8s import helm:`. */
export const HELM_PREFIX = 'helm:';

/** Options of `kc import helm:CHART`. */
export interface ImportHelmOptions {
  /** What follows `helm:`: a chart directory, a `.tgz`, `REPO/CHART[@VERSION]` or `oci://…[:TAG|@VERSION]`. */
  chart: string;
  /** Version or range for repository and oci:// charts (instead of `@VERSION` in the reference). */
  version?: string;
  /** Where the module goes, relative to the current directory (default `imports`). */
  output?: string;
  registry?: RegistryOptions;
}

/** What `kc import helm:` wrote. */
export interface ImportHelmResult {
  chart: { name: string; version: string };
  /** Where the chart was read from, for messages. */
  label: string;
  module: string;
  typeName: string;
  /** The zod schema's export; undefined when zod could not convert the chart's schema. */
  schemaName?: string;
}

/** The files of a Helm chart that typing its values needs. */
interface ChartFiles {
  label: string;
  chartYaml: string;
  valuesYaml?: string;
  schemaJson?: string;
}

async function archiveFiles(archive: Buffer, label: string): Promise<ChartFiles> {
  const { readArchive } = await import('../artifact/index.js');
  const files = await readArchive(archive, label);
  // A Helm archive holds one top folder named after the chart.
  const tops = [...new Set([...files.keys()].map((f) => f.split('/')[0]))];
  const chartYaml = tops.length === 1 ? files.get(`${tops[0]}/Chart.yaml`) : undefined;
  if (!chartYaml || files.has('manifest.json')) {
    throw new KcError('CHART_INVALID', `${label} is not a Helm chart archive`, {
      hint: 'pass a Helm chart (a folder with Chart.yaml, or its .tgz from `helm package`)',
    });
  }
  const text = (name: string) => files.get(`${tops[0]}/${name}`)?.toString('utf8');
  return {
    label,
    chartYaml: chartYaml.toString('utf8'),
    valuesYaml: text('values.yaml'),
    schemaJson: text('values.schema.json'),
  };
}

function dirFiles(dir: string, label: string): ChartFiles {
  const text = (name: string) => {
    const file = path.join(dir, name);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  };
  return {
    label,
    chartYaml: text('Chart.yaml')!,
    valuesYaml: text('values.yaml'),
    schemaJson: text('values.schema.json'),
  };
}

/** `oci://HOST/PATH/CHART@1.2.3` names a version (Helm's spelling); `@sha256:…` stays a digest. */
function splitOciVersion(ref: string, version: string | undefined): { ref: string; version?: string } {
  const at = ref.lastIndexOf('@');
  if (at < 0 || ref.slice(at + 1).startsWith('sha256:')) return { ref, version };
  if (version !== undefined) {
    throw new KcError('USAGE', `${ref} names a version and --version ${version} another`, {
      hint: 'give the version either after @ or with --version, not both',
    });
  }
  return { ref: ref.slice(0, at), version: ref.slice(at + 1) };
}

async function chartFiles(ctx: KcContext, options: ImportHelmOptions): Promise<ChartFiles> {
  const { locateSource } = await import('../config/locate.js');
  const source = locateSource(ctx.fs, ctx.cwd, options.chart);
  const sourceCtx = { ...ctx, registry: options.registry };
  if (source.kind === 'oci') {
    const { ref, version } = splitOciVersion(source.ref, options.version);
    const { fetchOciHelmChart } = await import('../helm/oci-helm-chart.js');
    const fetched = await fetchOciHelmChart(sourceCtx, ref, version);
    return archiveFiles(fetched.archive, fetched.label);
  }
  if (source.kind === 'project' || source.kind === 'chart') {
    throw new KcError('CHART_INVALID', `${options.chart} is a kc ${source.kind}, not a Helm chart`, {
      hint: "a kc chart's values are typed by its zod schema already: import its class",
    });
  }
  if (source.kind === 'url') {
    throw new KcError('USAGE', `${options.chart}: kc import helm: does not download charts by URL`, {
      hint: 'add the repository with `kc repo add NAME URL` and import helm:NAME/CHART, or download the .tgz',
    });
  }
  const found = await (await import('../helm/helm-source.js')).helmChartOf(sourceCtx, source, options.version);
  if (!found) {
    throw new KcError('CHART_INVALID', `${options.chart} is a kc chart, not a Helm chart`, {
      hint: "a kc chart's values are typed by its zod schema already: import its class",
    });
  }
  if (fs.statSync(found.chartPath).isDirectory()) return dirFiles(found.chartPath, found.label);
  return archiveFiles(fs.readFileSync(found.chartPath), found.label);
}

function parseSchema(files: ChartFiles): Record<string, unknown> {
  let schema: unknown;
  try {
    schema = JSON.parse(files.schemaJson!);
  } catch (err) {
    throw new KcError(
      'CHART_INVALID',
      `${files.label}: values.schema.json is not valid JSON: ${(err as Error).message}`,
      {
        hint: 'fix the JSON syntax (`helm lint` shows the same)',
      },
    );
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new KcError('CHART_INVALID', `${files.label}: values.schema.json is not a JSON Schema object`, {
      hint: 'the schema of Helm values is an object schema ({"type": "object", "properties": {…}})',
    });
  }
  return schema as Record<string, unknown>;
}

function parseDefaults(files: ChartFiles): unknown {
  if (files.valuesYaml === undefined) return {};
  try {
    return parse(files.valuesYaml, { maxAliasCount: 100 }) ?? {};
  } catch (err) {
    throw new KcError(
      'CHART_INVALID',
      `${files.label}: values.yaml is not valid YAML: ${(err as Error).message.split('\n')[0]}`,
      {
        hint: 'fix values.yaml (`helm lint` shows the same)',
      },
    );
  }
}

/**
 * `kc import helm:CHART`: writes `<output>/<chart>-values.ts` with `interface <Chart>Values` for
 * `new HelmRelease<<Chart>Values>(…)`, generated from the chart's values.schema.json.
 */
export async function importHelm(ctx: KcContext, options: ImportHelmOptions): Promise<ImportHelmResult> {
  const files = await chartFiles(ctx, options);
  const { helmChartInfo } = await import('../helm/helm-chart-file.js');
  const chart = helmChartInfo(files.chartYaml, files.label);
  // The name becomes a file name: nothing that climbs out of the output folder.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(chart.name)) {
    throw new KcError('CHART_INVALID', `${files.label}: Chart.yaml names the chart ${JSON.stringify(chart.name)}`, {
      hint: 'a Helm chart name is lower-case letters, digits and dashes (`helm lint` shows the same)',
    });
  }
  if (files.schemaJson === undefined) {
    throw new KcError(
      'CHART_INVALID',
      `Helm chart ${chart.name} ${chart.version} (${files.label}) has no values.schema.json`,
      {
        hint: 'nothing to generate types from: its values stay untyped (use HelmRelease without a type argument)',
      },
    );
  }
  const { helmValuesModule } = await import('../import/helm-values.js');
  const generated = await helmValuesModule(chart, parseSchema(files), parseDefaults(files));
  const module = path.resolve(ctx.cwd, options.output ?? 'imports', `${chart.name}-values.ts`);
  ctx.fs.writeText(module, generated.text);
  return {
    chart: { name: chart.name, version: chart.version },
    label: files.label,
    module: path.relative(ctx.cwd, module) || module,
    typeName: generated.typeName,
    ...(generated.schemaName ? { schemaName: generated.schemaName } : {}),
  };
}
