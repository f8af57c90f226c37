// Fields a chart yields to other managers (an HPA's or `kubectl scale`'s replicas): kc sets them when it creates the
// object and never sends them again. Leaving a field out of a server-side apply makes kc give it up; if kc was its
// only owner, the API server would remove it (replicas back to the default), so ownership is first handed over to
// a separate field manager holding the live value, as the Kubernetes docs describe for handing replicas to an HPA.
import { FIELD_MANAGER } from './constants.js';
import type { KubeClient, KubeObject, ManagedFieldsEntry } from './types.js';

/** The annotation listing, comma-separated, the dotted field paths an object yields (e.g. `spec.replicas`). */
export const YIELD_ANNOTATION = 'kc.dev/yield-fields';

/** The field manager that holds yielded fields kc owned, so that dropping them from kc's apply keeps their value. */
export const YIELD_MANAGER = 'kc-yielded';

/** The field paths `object` yields, each split into keys; empty when it yields none. */
export function yieldedPaths(object: KubeObject): string[][] {
  const value = (object.metadata?.annotations as Record<string, string> | undefined)?.[YIELD_ANNOTATION];
  if (!value) return [];
  return value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.split('.'));
}

function valueAt(object: unknown, path: readonly string[]): unknown {
  let node = object;
  for (const key of path) {
    if (!node || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A copy of `object` without the fields at `paths` (maps emptied by the removal are dropped too). */
export function withoutPaths(object: KubeObject, paths: readonly string[][]): KubeObject {
  const copy = structuredClone(object) as Record<string, unknown>;
  for (const path of paths) {
    const parents: Record<string, unknown>[] = [];
    let node: unknown = copy;
    for (const key of path.slice(0, -1)) {
      if (!node || typeof node !== 'object' || !Object.hasOwn(node, key)) break;
      parents.push(node as Record<string, unknown>);
      node = (node as Record<string, unknown>)[key];
    }
    if (parents.length !== path.length - 1 || !node || typeof node !== 'object') continue;
    delete (node as Record<string, unknown>)[path[path.length - 1]];
    // Walk back up removing maps the deletion left empty, so `spec: {}` does not claim anything.
    for (let i = parents.length - 1; i >= 0; i--) {
      const child = parents[i][path[i]];
      if (child && typeof child === 'object' && Object.keys(child).length === 0) delete parents[i][path[i]];
      else break;
    }
  }
  return copy as KubeObject;
}

/** True when kc's server-side apply owns the field at `path` of `live` (per its managedFields). */
export function kcOwns(live: KubeObject, path: readonly string[]): boolean {
  const entries = (live.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  return entries.some(
    (e) =>
      e.manager === FIELD_MANAGER &&
      e.operation === 'Apply' &&
      !e.subresource &&
      valueAt(
        e.fieldsV1,
        path.map((k) => `f:${k}`),
      ) !== undefined,
  );
}

/** What to send for `placed` given the live object: all of it when it does not exist yet, else no yielded field. */
export interface YieldPlan {
  body: KubeObject;
  /** A partial object holding the yielded fields kc still owns, to apply under YIELD_MANAGER before `body`. */
  handover?: KubeObject;
}

/** Plans the apply of `placed` against `live` (undefined: absent), handing over the yielded fields kc still owns. */
export function planYield(placed: KubeObject, live: KubeObject | undefined): YieldPlan {
  const paths = yieldedPaths(placed);
  if (paths.length === 0 || !live) return { body: placed };
  const owned = paths.filter((p) => kcOwns(live, p) && valueAt(live, p) !== undefined);
  if (owned.length === 0) return { body: withoutPaths(placed, paths) };
  const handover: Record<string, unknown> = {
    apiVersion: placed.apiVersion,
    kind: placed.kind,
    metadata: {
      name: placed.metadata?.name,
      ...(placed.metadata?.namespace ? { namespace: placed.metadata.namespace } : {}),
    },
  };
  for (const path of owned) {
    let node = handover;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]] = valueAt(live, path);
  }
  return { body: withoutPaths(placed, paths), handover: handover as KubeObject };
}

/**
 * The object as kc would apply it now, for comparisons that must not write (drift, diff): yielded fields kc no longer
 * owns are left out; those it still owns stay, since the apply that drops them hands them over unchanged.
 */
export function yieldView(placed: KubeObject, live: KubeObject | undefined): KubeObject {
  const paths = yieldedPaths(placed);
  if (paths.length === 0 || !live) return placed;
  return withoutPaths(
    placed,
    paths.filter((p) => !kcOwns(live, p)),
  );
}

/**
 * Applies `placed` the way a yielding object is applied: reads the live object, hands the fields kc still owns over
 * to YIELD_MANAGER, then applies the object without its yielded fields. Objects yielding nothing are applied as is.
 */
export async function applyYielding(
  client: KubeClient,
  placed: KubeObject,
  options: { force?: boolean; dryRun?: boolean },
): Promise<KubeObject> {
  const apply = (o: KubeObject, manager = FIELD_MANAGER) =>
    client.apply(o, { fieldManager: manager, force: options.force, dryRun: options.dryRun });
  if (yieldedPaths(placed).length === 0) return apply(placed);
  const live = await client.get({
    apiVersion: placed.apiVersion ?? '',
    kind: placed.kind ?? '',
    name: placed.metadata?.name ?? '',
    namespace: placed.metadata?.namespace,
  });
  if (options.dryRun) return apply(yieldView(placed, live));
  const plan = planYield(placed, live);
  if (plan.handover) await apply(plan.handover, YIELD_MANAGER);
  return apply(plan.body);
}
