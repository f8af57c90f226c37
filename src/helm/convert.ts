// A Helm revision as kc keeps a revision: the manifest as objects, Helm's hooks as kc hooks, the final values as
// Helm computed them (chart defaults coalesced with the user's), and Helm's status mapped onto kc's.
import { KcError } from '../errors/index.js';
import { HOOK_EVENTS, type HookEvent } from '../kube/hooks.js';
import type { KubeObject } from '../kube/types.js';
import type { ReleaseStatus } from '../release/index.js';
import { parseYamlStream } from '../synth/yaml.js';
import type { HelmHook, HelmRelease, HelmStatus } from './release-secret.js';

/** What kc records of one Helm revision, before it is placed in the cluster (inventory) and stored. */
export interface ConvertedRevision {
  revision: number;
  status: ReleaseStatus;
  chart: { name: string; version: string; appVersion?: string };
  description: string;
  updated: string;
  firstDeployed: string;
  values: Record<string, unknown>;
  userValues: Record<string, unknown>;
  objects: KubeObject[];
  hookObjects: KubeObject[];
  notes?: string;
}

const KC_EVENTS: readonly HookEvent[] = HOOK_EVENTS;

/**
 * kc's status for a finished Helm status. An uninstalled revision (helm uninstall --keep-history) becomes
 * superseded: its objects are gone, but its manifest stays a revision one can roll back to.
 */
export function kcStatus(status: HelmStatus): ReleaseStatus {
  switch (status) {
    case 'deployed':
      return 'deployed';
    case 'failed':
      return 'failed';
    case 'superseded':
    case 'uninstalled':
      return 'superseded';
    default:
      // pending-*, uninstalling and unknown are refused before any conversion (see refusePending).
      throw new KcError('HELM_RELEASE_PENDING', `a Helm revision in state ${status} cannot be imported`, {
        hint: 'finish or undo the Helm operation first (`helm rollback` or `helm uninstall`)',
      });
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Helm's coalescing of user values over chart defaults: maps merge key by key, anything else replaces, and a null
 * removes the default (Helm's way to unset a key).
 */
export function coalesceValues(
  defaults: Record<string, unknown>,
  user: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(defaults);
  for (const [key, value] of Object.entries(user)) {
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(out[key])) out[key] = coalesceValues(out[key] as Record<string, unknown>, value);
    else out[key] = structuredClone(value);
  }
  return out;
}

/** A Helm hook as a kc hook object: Helm's parsed events, weight and delete policies as kc.dev/hook* annotations. */
export function kcHook(hook: HelmHook, what: string): KubeObject | undefined {
  const [object] = parseYamlStream<KubeObject>(hook.manifest);
  if (!object) return undefined;
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries((object.metadata?.annotations ?? {}) as Record<string, string>)) {
    if (!k.startsWith('helm.sh/hook')) annotations[k] = v;
  }
  // Helm 2's test-success / test-failure are Helm 3's `test`.
  const events = [...new Set(hook.events.map((e) => (e.startsWith('test') ? 'test' : e)))];
  const unknown = events.filter((e) => !KC_EVENTS.includes(e as HookEvent));
  if (unknown.length > 0) {
    throw new KcError(
      'HELM_RECORD_INVALID',
      `${what}: hook ${hook.path || hook.name} runs on unknown event(s) ${unknown.join(', ')}`,
      {
        hint: `kc hooks run on ${KC_EVENTS.join(', ')}`,
      },
    );
  }
  annotations['kc.dev/hook'] = events.join(',');
  annotations['kc.dev/hook-weight'] = String(hook.weight);
  if (hook.deletePolicies.length > 0) annotations['kc.dev/hook-delete-policy'] = hook.deletePolicies.join(',');
  return { ...object, metadata: { ...(object.metadata ?? {}), annotations } };
}

/** One Helm revision as kc records it; `what` names its Secret in errors. */
export function convertRevision(release: HelmRelease, what: string): ConvertedRevision {
  const objects = parseYamlStream<KubeObject>(release.manifest);
  for (const o of objects) {
    if (!o.apiVersion || !o.kind || !o.metadata?.name) {
      throw new KcError(
        'HELM_RECORD_INVALID',
        `${what}: its manifest holds an object without apiVersion, kind or name`,
        {
          hint: '`helm get manifest` shows the manifest Helm recorded',
        },
      );
    }
  }
  const hookObjects = release.hooks.map((h) => kcHook(h, what)).filter((o): o is KubeObject => o !== undefined);
  const chart = release.chart;
  return {
    revision: release.revision,
    status: kcStatus(release.status),
    chart: { name: chart.name, version: chart.version, ...(chart.appVersion ? { appVersion: chart.appVersion } : {}) },
    description: release.description ? `${release.description} (Helm)` : 'Helm revision',
    updated: release.lastDeployed,
    firstDeployed: release.firstDeployed,
    values: coalesceValues(release.chartValues, release.config),
    userValues: release.config,
    objects,
    hookObjects,
    ...(release.notes ? { notes: release.notes } : {}),
  };
}
