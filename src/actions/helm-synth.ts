// `kc install|upgrade|template|diff` of a Helm chart: found, then rendered by helm (loaded only for Helm charts).
import type { Source } from '../config/locate.js';
import type { KcContext } from '../context.js';
import { isKcError } from '../errors/index.js';
import type { HelmChartOnDisk } from '../helm/helm-source.js';
import type { RegistryOptions } from '../oci/options.js';
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
