import type { Clock } from '../clock.js';
import { KcError } from '../errors/index.js';
import { INSTALL_ORDER } from '../synth/order.js';
import { readinessOf } from './readiness.js';
import { describeRef, refKey, refOf, type KubeClient, type KubeObject, type ObjectRef } from './types.js';

/** The field manager kc applies with. */
export const FIELD_MANAGER = 'kc';
/** Annotation naming the release (namespace/name) an object belongs to. */
export const RELEASE_ANNOTATION = 'kc.dev/release';

/** How to apply a release's objects. */
export interface StagedApplyOptions {
  /** `namespace/name` of the release, written into each object's annotations. */
  release: string;
  /** Namespace for namespaced objects that name none. */
  namespace: string;
  /** Keys (refKey) of objects the release already owns: they skip the ownership check. */
  owned: Set<string>;
  force?: boolean;
  adopt?: boolean;
  dryRun?: boolean;
  clock: Clock;
  signal?: AbortSignal;
  /** How long to wait for new CRDs to be Established (default 60 s). */
  crdTimeoutMs?: number;
  /** The caller already ran checkOwnership on every object (e.g. while writing the release record). */
  ownershipChecked?: boolean;
  /** Live objects (by refKey) that need no apply (see liveUnchanged): returned as they are, not sent. */
  unchanged?: ReadonlyMap<string, KubeObject>;
}

const rank = (kind: string) => {
  const i = INSTALL_ORDER.indexOf(kind);
  return i < 0 ? INSTALL_ORDER.length : i;
};

/** Splits objects into stages: CRDs, Namespaces, then one stage per kind rank of Helm's install order. */
export function applyStages(objects: readonly KubeObject[]): KubeObject[][] {
  const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
  const namespaces = objects.filter((o) => o.kind === 'Namespace');
  const byRank = new Map<number, KubeObject[]>();
  for (const o of objects) {
    if (o.kind === 'CustomResourceDefinition' || o.kind === 'Namespace') continue;
    const r = rank(o.kind ?? '');
    const list = byRank.get(r);
    if (list) list.push(o);
    else byRank.set(r, [o]);
  }
  const rest = [...byRank.entries()].sort(([a], [b]) => a - b).map(([, list]) => list);
  return [crds, namespaces, ...rest].filter((s) => s.length > 0);
}

/**
 * An object as kc sends it: namespaced kinds (per discovery) in `namespace` unless they name one, cluster-scoped
 * kinds without one, and annotated with the release (`namespace/name`) that owns it.
 */
export async function placeObject(client: KubeClient, object: KubeObject, release: string, namespace: string): Promise<KubeObject> {
  const namespaced = await client.isNamespaced(object.apiVersion ?? '', object.kind ?? '');
  const metadata = { ...(object.metadata ?? {}) };
  if (namespaced === false) delete metadata.namespace;
  else metadata.namespace = metadata.namespace ?? namespace;
  metadata.annotations = { ...((metadata.annotations as Record<string, string>) ?? {}), [RELEASE_ANNOTATION]: release };
  return { ...object, metadata };
}

function refuseUnowned(ref: ObjectRef, live: KubeObject | undefined, options: StagedApplyOptions): void {
  if (!live) return;
  const owner = (live.metadata?.annotations as Record<string, string> | undefined)?.[RELEASE_ANNOTATION];
  if (owner === options.release) return;
  throw new KcError('RESOURCE_NOT_OWNED', `${describeRef(ref)} already exists and ${owner ? `belongs to release ${owner}` : 'belongs to no kc release'}`, {
    hint: 'pass --adopt to take it into this release, or delete or rename it',
  });
}

/** Refs grouped by apiVersion, kind and namespace: what one LIST can read. */
export function byKindAndNamespace(refs: readonly ObjectRef[]): ObjectRef[][] {
  const groups = new Map<string, ObjectRef[]>();
  for (const ref of refs) {
    const key = `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}`;
    const list = groups.get(key);
    if (list) list.push(ref);
    else groups.set(key, [ref]);
  }
  return [...groups.values()];
}

/** Objects of one kind in one namespace above this count are checked with one metadata-only LIST, not GETs. */
const LIST_THRESHOLD = 4;

/**
 * Refuses objects (placed, see placeObject) new to the release that already exist and belong to something else.
 * Kinds must be servable: a release's custom resources are checked by applyStaged once their CRDs exist.
 */
export async function checkOwnership(client: KubeClient, objects: KubeObject[], options: StagedApplyOptions): Promise<void> {
  if (options.adopt) return;
  const fresh = objects.map(refOf).filter((ref) => !options.owned.has(refKey(ref)));
  await Promise.all(
    byKindAndNamespace(fresh).map(async (refs) => {
      if (refs.length <= LIST_THRESHOLD) {
        await Promise.all(refs.map(async (ref) => refuseUnowned(ref, await client.get(ref), options)));
        return;
      }
      const { apiVersion, kind, namespace } = refs[0];
      const live = new Map((await client.list(apiVersion, kind, { namespace, metadataOnly: true })).map((o) => [o.metadata?.name, o]));
      refs.forEach((ref) => refuseUnowned(ref, live.get(ref.name), options));
    }),
  );
}

async function waitEstablished(client: KubeClient, crds: KubeObject[], options: StagedApplyOptions): Promise<void> {
  const deadline = options.clock.now().getTime() + (options.crdTimeoutMs ?? 60_000);
  let pending = crds.map(refOf);
  while (pending.length > 0) {
    const states = await Promise.all(pending.map(async (ref) => ({ ref, live: await client.get(ref) })));
    pending = states.filter((s) => !s.live || !readinessOf(s.live).ready).map((s) => s.ref);
    if (pending.length === 0) break;
    if (options.clock.now().getTime() > deadline) {
      throw new KcError('TIMEOUT', `CustomResourceDefinitions not Established in time: ${pending.map(describeRef).join(', ')}`, {
        hint: 'check the CRDs with `kubectl describe crd`',
      });
    }
    await options.clock.sleep(250, options.signal);
  }
  client.resetDiscovery();
}

/**
 * Applies objects server-side in stages (CRDs, wait Established; Namespaces; the rest in install order),
 * in parallel within a stage, after refusing objects that exist but belong to another release.
 * Returns the applied objects as the server persisted them.
 */
export async function applyStaged(client: KubeClient, objects: readonly KubeObject[], options: StagedApplyOptions): Promise<KubeObject[]> {
  const applied: KubeObject[] = [];
  for (const stage of applyStages(objects)) {
    if (options.signal?.aborted) throw options.signal.reason;
    const ready = await Promise.all(stage.map((o) => placeObject(client, o, options.release, options.namespace)));
    if (!options.ownershipChecked) await checkOwnership(client, ready, options);
    const results = await Promise.all(
      ready.map((o) => options.unchanged?.get(refKey(refOf(o))) ?? client.apply(o, { fieldManager: FIELD_MANAGER, force: options.force, dryRun: options.dryRun })),
    );
    applied.push(...results);
    if (stage[0].kind === 'CustomResourceDefinition' && !options.dryRun) await waitEstablished(client, stage, options);
  }
  return applied;
}

/** Annotations that keep an object when its release drops it (kc's and Helm's). */
const KEEP = [['kc.dev/resource-policy', 'keep'], ['helm.sh/resource-policy', 'keep']];

/** True when an object asks to be kept rather than pruned or uninstalled. */
export function isKept(object: KubeObject): boolean {
  const annotations = (object.metadata?.annotations ?? {}) as Record<string, string>;
  return KEEP.some(([k, v]) => annotations[k] === v);
}

/** Deletes objects in reverse install order, stage by stage; returns the refs that were deleted. */
export async function deleteObjects(client: KubeClient, refs: readonly ObjectRef[], signal?: AbortSignal): Promise<ObjectRef[]> {
  const asObjects = refs.map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, namespace: r.namespace } }));
  const deleted: ObjectRef[] = [];
  for (const stage of applyStages(asObjects).reverse()) {
    if (signal?.aborted) throw signal.reason;
    const results = await Promise.all(stage.map(async (o) => ((await client.delete(refOf(o))) ? refOf(o) : undefined)));
    deleted.push(...results.filter((r): r is ObjectRef => r !== undefined));
  }
  return deleted;
}
