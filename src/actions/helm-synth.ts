// `kc install|upgrade|template|diff` of a Helm chart: found, then rendered by helm (loaded only for Helm charts).
import path from 'node:path';
import type { Source } from '../config/locate.js';
import type { KcContext } from '../context.js';
import { KcError, isKcError } from '../errors/index.js';
import type { HelmChartOnDisk } from '../helm/helm-source.js';
import type { RegistryOptions } from '../oci/options.js';
import type { SynthRelease } from '../synth/run.js';
import type { ValuesLayer } from '../values/index.js';
import type { PreparedSynth, SynthResult } from './synth.js';

/** What rendering a Helm chart needs from the synth action. */
export interface HelmSynthInput {
  release?: string;
  namespace?: string;
  layers: ValuesLayer[];
  readText: (file: string) => string;
}

/** The Helm chart a source names (directory, .tgz, Helm repository chart), or undefined for kc charts. */
export async function findHelmChart(
  ctx: KcContext,
  source: Source,
  version: string | undefined,
  registry: RegistryOptions | undefined,
): Promise<HelmChartOnDisk | undefined> {
  if (source.kind === 'project' || source.kind === 'chart' || source.kind === 'url' || source.kind === 'oci') {
    return undefined;
  }
  return (await import('../helm/helm-source.js')).helmChartOf({ ...ctx, registry }, source, version);
}

/** The Helm chart behind an oci:// reference that kc refused as a Helm chart; rethrows anything else. */
export async function ociHelmChartAfter(
  err: unknown,
  ctx: KcContext,
  source: Source,
  version: string | undefined,
  registry: RegistryOptions | undefined,
): Promise<HelmChartOnDisk> {
  const { isHelmChartRefusal } = await import('../oci/chart-manifest.js');
  if (source.kind !== 'oci' || !isKcError(err) || !isHelmChartRefusal(err)) throw err;
  const sourceCtx = { ...ctx, registry };
  const fetched = await (await import('../helm/oci-helm-chart.js')).fetchOciHelmChart(sourceCtx, source.ref, version);
  const { helmArchiveOnDisk } = await import('../helm/helm-source.js');
  const found = await helmArchiveOnDisk(sourceCtx, fetched.archive, fetched.label, fetched.origin);
  if (!found) throw err;
  return found;
}

/** A prepared synthesis of a Helm chart: nothing memoized (helm's output is not tracked file by file). */
export function preparedHelm(ctx: KcContext, chart: HelmChartOnDisk, input: HelmSynthInput): PreparedSynth {
  const release = input.release ?? chart.chart.name;
  return {
    mode: 'chart',
    namespace: input.namespace,
    memo: () => undefined,
    keepMemo: () => undefined,
    load: () => undefined,
    render: async (): Promise<SynthResult> => {
      const { renderHelmChart } = await import('../helm/helm-render.js');
      const rendered = await renderHelmChart({
        chartPath: chart.chartPath,
        label: chart.label,
        chart: chart.chart,
        release,
        namespace: input.namespace,
        layers: input.layers,
        readText: input.readText,
        signal: ctx.signal,
      });
      return { mode: 'chart', namespace: input.namespace, releases: [rendered] };
    },
  };
}

/** An oci:// Helm chart fetched with kc's registry client, ready for helm. */
async function ociHelmChart(ctx: KcContext, ref: string, version: string | undefined, registry?: RegistryOptions) {
  const sourceCtx = { ...ctx, registry };
  const fetched = await (await import('../helm/oci-helm-chart.js')).fetchOciHelmChart(sourceCtx, ref, version);
  return (await import('../helm/helm-source.js')).helmArchiveOnDisk(
    sourceCtx,
    fetched.archive,
    fetched.label,
    fetched.origin,
  );
}

/** What rendering an app's HelmReleases needs: the project folder, the app's value layers, registry options. */
export interface AppHelmInput {
  dir: string;
  layers: ValuesLayer[];
  readText: (file: string) => string;
  registry?: RegistryOptions;
}

/**
 * Renders every HelmRelease of an app with helm, in kc's process (never in the chart sandbox): its chart named
 * relative to the project, its values from app code under the environment's and --set values keyed by its name.
 */
export async function renderAppHelmReleases(
  ctx: KcContext,
  releases: SynthRelease[],
  input: AppHelmInput,
): Promise<SynthRelease[]> {
  if (!releases.some((r) => r.helm)) return releases;
  const { locateSource } = await import('../config/locate.js');
  const { renderHelmChart } = await import('../helm/helm-render.js');
  const { layerForRelease } = await import('../values/index.js');
  const here = { ...ctx, cwd: input.dir };
  // Files named by flags (keys, CA) are relative to where kc runs; charts are relative to the project.
  const registry = input.registry && {
    ...input.registry,
    ...(input.registry.caFile ? { caFile: path.resolve(ctx.cwd, input.registry.caFile) } : {}),
    ...(input.registry.verifyKeys
      ? { verifyKeys: input.registry.verifyKeys.map((k) => path.resolve(ctx.cwd, k)) }
      : {}),
  };
  return Promise.all(
    releases.map(async (r) => {
      if (!r.helm) return r;
      const { chart, version, values } = r.helm;
      const source = locateSource(ctx.fs, input.dir, chart);
      const found =
        source.kind === 'oci'
          ? await ociHelmChart(here, source.ref, version, registry)
          : await findHelmChart(here, source, version, registry);
      if (!found) {
        throw new KcError('CHART_INVALID', `HelmRelease ${r.name}: ${chart} is not a Helm chart`, {
          hint: 'HelmRelease takes a Helm chart (Chart.yaml); add a kc chart to the app with its class instead',
        });
      }
      const rendered = await renderHelmChart({
        chartPath: found.chartPath,
        label: `${found.label} (release ${r.name})`,
        chart: found.chart,
        release: r.name,
        namespace: r.namespace,
        layers: [{ label: 'app code', values: values ?? {} }, ...input.layers.map((l) => layerForRelease(l, r.name))],
        readText: input.readText,
        signal: ctx.signal,
      });
      return { ...rendered, dependsOn: r.dependsOn };
    }),
  );
}
