// Fields an environment yields to other managers, declared in the project file instead of the chart: e.g. prod
// runs an HPA that the chart does not know of. They become the same annotation a chart sets (kc.dev/yield-fields).
import { KcError } from '../errors/index.js';
import { YIELD_ANNOTATION } from '../kube/yield.js';
import { sortKeys } from './normalize.js';
import type { SynthRelease } from './run.js';

/** An environment's yields: release name → `Kind` or `Kind/name` → dotted field paths. */
export type EnvYields = Record<string, Record<string, string[]>>;

function matches(selector: string, kind: string | undefined, name: string | undefined): boolean {
  const [k, n] = selector.split('/', 2);
  return k === kind && (n === undefined || n === name);
}

/**
 * Annotates the objects each rule selects with the fields they yield (merged with any the chart declared).
 * A rule naming a release the app does not define, or selecting no object, is an error: it would silently do nothing.
 */
export function applyEnvYields(releases: SynthRelease[], yields: EnvYields | undefined, label: string): void {
  if (!yields) return;
  const byName = new Map(releases.map((r) => [r.name, r]));
  for (const [releaseName, rules] of Object.entries(yields)) {
    const release = byName.get(releaseName);
    if (!release) {
      throw new KcError(
        'CONFIG_INVALID',
        `${label}: yieldFields names release "${releaseName}", which the app does not define`,
        {
          hint: `known releases: ${[...byName.keys()].join(', ') || '(none)'}`,
        },
      );
    }
    for (const [selector, paths] of Object.entries(rules)) {
      const selected = release.objects.filter((o) => matches(selector, o.kind, o.metadata?.name as string | undefined));
      if (selected.length === 0) {
        const names = release.objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ');
        throw new KcError(
          'CONFIG_INVALID',
          `${label}: yieldFields.${releaseName} selects no object with "${selector}"`,
          {
            hint: `use Kind or Kind/name of one of the release's objects: ${names}`,
          },
        );
      }
      for (const object of selected) {
        const annotations = { ...((object.metadata?.annotations as Record<string, string> | undefined) ?? {}) };
        const current = annotations[YIELD_ANNOTATION]?.split(',').map((p) => p.trim()) ?? [];
        annotations[YIELD_ANNOTATION] = [...new Set([...current, ...paths])].filter(Boolean).sort().join(',');
        // Sorted again: synthesized output has every map's keys in order.
        object.metadata = sortKeys({ ...object.metadata, annotations }) as typeof object.metadata;
      }
    }
  }
}
