import { KcError, isKcError } from '../errors/index.js';
import type { SynthRelease } from '../synth/index.js';
import { getPath, parseKeyPath, setAtPath, type ValuesLayer } from '../values/index.js';
import type { ClusterSession } from './cluster-session.js';
import type { OperationOptions, ReleasePlan } from './release-operation.js';
import { isHook } from '../kube/hooks.js';
import { UNSET_REQUIRED } from '../synth/failure.js';

/** Which cluster and namespace a command talks to. */
export interface ClusterOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  createNamespace?: boolean;
}

export { DEFAULT_OPERATION } from './operation-defaults.js';

const BUILT_IN_LAYERS = new Set(['chart defaults', 'app code']);

/** --reuse-values: the user values of the release's last deployed revision (else its latest), as the bottom layer. */
export async function previousValuesLayer(session: ClusterSession, namespace: string, release: string): Promise<ValuesLayer[]> {
  const history = await session.store.history(namespace, release);
  const last = [...history].reverse().find((h) => h.status === 'deployed') ?? history.at(-1);
  if (!last) return [];
  const record = await session.store.read(namespace, release, last.revision);
  return [{ label: `values of revision ${last.revision} (--reuse-values)`, values: record.userValues, lenient: true }];
}

/** The values a user supplied (everything not from chart defaults or app code), recovered from provenance. */
export function userSuppliedValues(release: SynthRelease): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, label] of Object.entries(release.provenance)) {
    if (BUILT_IN_LAYERS.has(label)) continue;
    const segments = parseKeyPath(path, 'values', path);
    const value = getPath(release.values, segments);
    if (value !== undefined) setAtPath(out, segments, structuredClone(value));
  }
  return out;
}

/** The objects a revision of this release keeps (and diff compares): everything but its hooks and tests. */
export function revisionObjects(release: Pick<SynthRelease, 'objects'>): SynthRelease['objects'] {
  return release.objects.filter((o) => !isHook(o));
}

/** A release plan from a synthesized release. */
export function planOf(release: SynthRelease, namespace: string, extra: { env?: string; project?: string } = {}): ReleasePlan {
  return {
    name: release.name,
    namespace,
    chart: release.chart,
    env: extra.env,
    project: extra.project,
    objects: revisionObjects(release),
    hooks: release.objects.filter(isHook),
    values: release.values,
    userValues: userSuppliedValues(release),
    secretPaths: release.secretPaths,
    notes: release.notes,
    digest: release.digest,
  };
}

/** The error for a namespace that does not exist (without --create-namespace). */
export function namespaceMissing(namespace: string): KcError {
  return new KcError('NOT_FOUND', `namespace "${namespace}" does not exist`, { hint: 'pass --create-namespace, or create it first' });
}

/** Makes sure the namespace exists: creates it with --create-namespace, else says how to. */
export async function ensureNamespace(session: ClusterSession, namespace: string, create: boolean): Promise<void> {
  const ref = { apiVersion: 'v1', kind: 'Namespace', name: namespace };
  if (await session.client.get(ref)) return;
  if (!create) throw namespaceMissing(namespace);
  await session.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'app.kubernetes.io/managed-by': 'kc' } } }, { fieldManager: 'kc' });
}

/**
 * An upgrade starts from the chart's defaults, as in Helm 3, so a value given only at install time (a required
 * password) is missing again: the usual fix is --reuse-values, which the generic values hint does not name.
 * Only for errors with such a missing value: a wrong type or an unknown key is fixed where it was set.
 */
export function withReuseHint(err: unknown): unknown {
  if (!isKcError(err) || err.code !== 'VALUES_INVALID' || !err.details.some((d) => d.includes(UNSET_REQUIRED))) return err;
  return new KcError('VALUES_INVALID', err.message, {
    details: err.details,
    hint: "upgrades start from the chart's defaults, as in Helm 3: pass --reuse-values to start from the deployed revision's values, or set each value named",
    cause: err,
  });
}
