// A Helm chart rendered as a kc release: values merged by kc, templates rendered by the real `helm template`.
import type { ChartInfo } from '../chart/protocol.js';
import { KcError } from '../errors/index.js';
import { normalizeObject } from '../synth/normalize.js';
import { sortForInstall } from '../synth/order.js';
import type { SynthRelease } from '../synth/run.js';
import { resolveValues, type ReadText, type ValuesLayer } from '../values/index.js';
import { findHelm } from './helm-binary.js';
import { parseHelmManifest } from './helm-manifest.js';
import { runHelm, type HelmRunner } from './helm-run.js';
import { compareText } from '../compare-text.js';

/** A Helm chart on disk (a directory or a .tgz) and what a release of it needs. */
export interface HelmRenderRequest {
  /** The chart directory or archive helm reads. */
  chartPath: string;
  /** How the user named the chart, for messages. */
  label: string;
  chart: ChartInfo;
  release: string;
  namespace?: string;
  /** Value layers, lowest first (environment, reused values, -f files, --set flags). */
  layers: ValuesLayer[];
  readText: ReadText;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Runs helm (tests substitute one). */
  run?: HelmRunner;
}

/** Helm's error text without its `Error: ` prefix, first line as the message and the rest as details. */
function helmFailure(label: string, stderr: string, code: number | null): KcError {
  const lines = stderr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);
  const first = (lines.find((l) => l.startsWith('Error:')) ?? lines[0] ?? `exit code ${code}`).replace(
    /^Error:\s*/,
    '',
  );
  return new KcError('HELM_TEMPLATE_FAILED', `helm template of ${label} failed: ${first}`, {
    details: lines.filter((l) => !l.startsWith('Error:')).slice(-20),
    hint: 'fix the chart or the values it names; `helm template` shows the same error',
  });
}

/**
 * Renders a Helm chart with `helm template` (CRDs included, hooks annotated for kc) into one release. The values
 * are kc's merge of every layer (--set typed as Helm does without a schema), handed to helm as one values file on
 * its standard input, so the record holds exactly what helm rendered.
 */
export async function renderHelmChart(request: HelmRenderRequest): Promise<SynthRelease> {
  const { values, provenance } = resolveValues(undefined, undefined, request.layers, request.readText);
  const binary = findHelm(request.env ?? process.env, request.label);
  const namespace = request.namespace ?? 'default';
  const args = ['template', request.release, request.chartPath, '--namespace', namespace, '--include-crds'];
  args.push('--values', '-');
  const run = request.run ?? runHelm;
  const result = await run(binary, args, { stdin: JSON.stringify(values), signal: request.signal, env: request.env });
  if (result.code !== 0) throw helmFailure(request.label, result.stderr, result.code);
  const objects = parseHelmManifest(result.stdout, request.label);
  return {
    name: request.release,
    chart: request.chart,
    dependsOn: [],
    values,
    namespace: request.namespace,
    objects: sortForInstall(objects.map((o) => normalizeObject(o, request.namespace))),
    secretPaths: [],
    provenance: Object.fromEntries([...provenance].sort(([a], [b]) => compareText(a, b))),
  };
}
