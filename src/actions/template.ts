import type { RegistryOptions } from '../oci/options.js';
import type { KcContext } from '../context.js';
import type { SynthRelease } from '../synth/index.js';
import type { SetFlag } from '../values/index.js';
import { checkReleaseName } from '../release/name.js';
import { releasesToYaml, synth } from './synth.js';
import type { DependencyUpdateResult } from './dependency.js';

/** Options of `kc template RELEASE CHART` (Helm's `helm template`). */
export interface TemplateOptions {
  release: string;
  /** Chart reference: a chart directory, or whatever else `synth` locates. */
  chart: string;
  namespace?: string;
  valuesFiles?: string[];
  sets?: SetFlag[];
  /** Version range of a repository chart (`repo/chart`). */
  version?: string;
  /** How to reach an oci:// chart's registry, and the signatures it must carry. */
  registry?: RegistryOptions;
  /** Leave out `kc test` hooks, like `helm template --skip-tests`. */
  skipTests?: boolean;
  /** Run `kc dependency update` first when the chart directory's lock is stale (Helm's --dependency-update). */
  dependencyUpdate?: boolean;
}

/** A chart rendered as one release, without a cluster. */
export interface TemplateResult {
  release: SynthRelease;
  yaml: string;
  /** What --dependency-update did, when the lock needed it. */
  dependencies?: DependencyUpdateResult;
}

const isTestHook = (o: SynthRelease['objects'][number]) =>
  String((o.metadata?.annotations as Record<string, string> | undefined)?.['kc.dev/hook'] ?? '').split(',').includes('test');

/** Renders a chart as release `release` to YAML, through `synth` so every chart source it knows works. */
export async function template(ctx: KcContext, options: TemplateOptions): Promise<TemplateResult> {
  checkReleaseName(options.release);
  // Loaded only with --dependency-update: it brings the repository and registry clients.
  const refresh = options.dependencyUpdate ? await import('./dependency-refresh.js') : undefined;
  const dependencies = await refresh?.updateStaleDependencies(ctx, options.chart, { registry: options.registry });
  const result = await synth(ctx, { target: options.chart, release: options.release, namespace: options.namespace, valuesFiles: options.valuesFiles, sets: options.sets, version: options.version, registry: options.registry });
  // A project is refused by synth already: a release name does not apply to it (checkModeFlags).
  const [rendered] = result.releases;
  const release = options.skipTests ? { ...rendered, objects: rendered.objects.filter((o) => !isTestHook(o)) } : rendered;
  return { release, yaml: releasesToYaml([release]), dependencies };
}
