import type { Clock } from '../clock.js';
import { KcError } from '../errors/index.js';
import { FIELD_MANAGER, RELEASE_ANNOTATION } from './constants.js';
import { ownerOf, readLive } from './ownership.js';
import { readinessOf } from './readiness.js';
import { applyStages } from './stages.js';
import { applyReplacing } from './replace.js';
import { applyYielding } from './yield.js';
import { describeRef, refKey, refOf, type KubeClient, type KubeObject, type ObjectRef } from './types.js';

export { FIELD_MANAGER, RELEASE_ANNOTATION } from './constants.js';
export { byKindAndNamespace } from './ownership.js';
export { applyStages } from './stages.js';

/** How to apply a release's objects. */
export interface StagedApplyOptions {
  /** `namespace/name` of the release, written into each object's annotations. */
  release: string;
  /** Namespace for namespaced objects that name none. */
  namespace: string;
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
  /** Counts the applies sent (answered or not): zero means the cluster was never asked to change anything. */
  tally?: { sent: number };
  /** --force-replace: replace any object of the release whose update is refused as immutable (see applyReplacing). */
  forceReplace?: boolean;
  /** Receives the objects replaced (dry: that would be). */
  replaced?: ObjectRef[];
  /** How long an object deleted to be replaced may take to be gone (default 5 minutes). */
  replaceTimeoutMs?: number;
}

/**
 * An object as kc sends it: namespaced kinds (per discovery) in `namespace` unless they name one, cluster-scoped
 * kinds without one, and annotated with the release (`namespace/name`) that owns it.
 */
export async function placeObject(
  client: KubeClient,
  object: KubeObject,
  release: string,
  namespace: string,
): Promise<KubeObject> {
  const namespaced = await client.isNamespaced(object.apiVersion ?? '', object.kind ?? '');
  const metadata = { ...(object.metadata ?? {}) };
  if (namespaced === false) delete metadata.namespace;
  else metadata.namespace = metadata.namespace ?? namespace;
  metadata.annotations = { ...((metadata.annotations as Record<string, string>) ?? {}), [RELEASE_ANNOTATION]: release };
  return { ...object, metadata };
}

/** An object placed where `ref` (from a revision's inventory) says it was applied, without asking discovery. */
export function placeAt(object: KubeObject, ref: ObjectRef, release: string): KubeObject {
  const metadata = { ...(object.metadata ?? {}) };
  if (ref.namespace) metadata.namespace = ref.namespace;
  else delete metadata.namespace;
  metadata.annotations = { ...((metadata.annotations as Record<string, string>) ?? {}), [RELEASE_ANNOTATION]: release };
  return { ...object, metadata };
}

function unownedReason(ref: ObjectRef, live: KubeObject | undefined, options: StagedApplyOptions): string | undefined {
  if (!live) return undefined;
  const owner = ownerOf(live);
  if (owner === options.release) return undefined;
  return `${describeRef(ref)} already exists and ${owner ? `belongs to release ${owner}` : 'belongs to no kc release'}`;
}

/**
 * Refuses objects (placed, see placeObject) that exist and belong to something else, read now: one metadata LIST
 * per kind and namespace with more than four objects, GETs for fewer. Every object is checked, also those an
 * earlier revision applied: what the live object says wins over what the record remembers. Kinds must be
 * servable: a release's custom resources are checked by applyStaged once their CRDs exist.
 */
export async function checkOwnership(
  client: KubeClient,
  objects: KubeObject[],
  options: StagedApplyOptions,
): Promise<void> {
  if (options.adopt) return;
  const refs = objects.map(refOf);
  refuseUnowned(refs, await readLive(client, refs, { metadataOnly: true }), options);
}

/** Throws RESOURCE_NOT_OWNED for the refs whose live object (just read, by refKey) belongs to something else. */
export function refuseUnowned(
  refs: readonly ObjectRef[],
  live: ReadonlyMap<string, KubeObject>,
  options: StagedApplyOptions,
): void {
  if (options.adopt) return;
  const refused = refs.map((ref) => unownedReason(ref, live.get(refKey(ref)), options)).filter((r): r is string => !!r);
  if (refused.length === 0) return;
  const more = refused.length > 1 ? ` (and ${refused.length - 1} more object(s), listed below)` : '';
  throw new KcError('RESOURCE_NOT_OWNED', `${refused[0]}${more}`, {
    details: refused.length > 1 ? refused : undefined,
    hint: 'pass --adopt to take them into this release, or delete or rename them',
  });
}

async function waitEstablished(client: KubeClient, crds: KubeObject[], options: StagedApplyOptions): Promise<void> {
  const deadline = options.clock.now().getTime() + (options.crdTimeoutMs ?? 60_000);
  let pending = crds.map(refOf);
  while (pending.length > 0) {
    const states = await Promise.all(pending.map(async (ref) => ({ ref, live: await client.get(ref) })));
    pending = states.filter((s) => !s.live || !readinessOf(s.live).ready).map((s) => s.ref);
    if (pending.length === 0) break;
    if (options.clock.now().getTime() > deadline) {
      throw new KcError(
        'TIMEOUT',
        `CustomResourceDefinitions not Established in time: ${pending.map(describeRef).join(', ')}`,
        {
          hint: 'check the CRDs with `kubectl describe crd`',
        },
      );
    }
    await options.clock.sleep(250, options.signal);
  }
  await waitServed(client, crds, deadline, options);
}

/** The group versions and kind a CRD serves, as `apiVersion`s. */
function servedKinds(crd: KubeObject): { apiVersion: string; kind: string }[] {
  const spec = (crd.spec ?? {}) as {
    group?: string;
    names?: { kind?: string };
    versions?: { name?: string; served?: boolean }[];
  };
  const kind = spec.names?.kind;
  if (!spec.group || !kind) return [];
  return (spec.versions ?? [])
    .filter((v) => v.served !== false && v.name)
    .map((v) => ({ apiVersion: `${spec.group}/${v.name}`, kind }));
}

// Established is set before the API server's discovery serves the new kind: applying a custom resource in that gap
// fails with UNKNOWN_KIND. Discovery is asked again (bounded by the same deadline) until every served kind is known.
async function waitServed(
  client: KubeClient,
  crds: KubeObject[],
  deadline: number,
  options: StagedApplyOptions,
): Promise<void> {
  let pending = crds.flatMap(servedKinds);
  for (;;) {
    client.resetDiscovery();
    const known = await Promise.all(pending.map((k) => client.isNamespaced(k.apiVersion, k.kind)));
    pending = pending.filter((_, i) => known[i] === undefined);
    if (pending.length === 0) return;
    if (options.clock.now().getTime() > deadline) {
      const what = pending.map((k) => `${k.kind} in ${k.apiVersion}`).join(', ');
      throw new KcError('TIMEOUT', `CustomResourceDefinitions Established but not yet served by discovery: ${what}`, {
        hint: 'check the API server (`kubectl api-resources`) and run the command again',
      });
    }
    await options.clock.sleep(250, options.signal);
  }
}

/**
 * Applies objects server-side in stages (CRDs, wait Established; Namespaces; the rest in install order),
 * in parallel within a stage, after refusing objects that exist but belong to another release.
 * Returns the applied objects as the server persisted them.
 */
export async function applyStaged(
  client: KubeClient,
  objects: readonly KubeObject[],
  options: StagedApplyOptions,
): Promise<KubeObject[]> {
  const applied: KubeObject[] = [];
  for (const stage of applyStages(objects)) {
    if (options.signal?.aborted) throw options.signal.reason;
    const ready = await Promise.all(stage.map((o) => placeObject(client, o, options.release, options.namespace)));
    if (!options.ownershipChecked) await checkOwnership(client, ready, options);
    const send = (o: KubeObject) => {
      if (options.tally && !options.dryRun) options.tally.sent++;
      return applyYielding(client, o, { force: options.force, dryRun: options.dryRun });
    };
    const replacing = { ...options, timeoutMs: options.replaceTimeoutMs };
    const sendOrReplace = (o: KubeObject) => applyReplacing(client, o, send, replacing);
    // Every request of the stage is answered before a refusal is thrown: an undo or clean-up that reads the cluster
    // next must not miss an object still landing.
    const settled = await Promise.allSettled(
      ready.map((o) => options.unchanged?.get(refKey(refOf(o))) ?? sendOrReplace(o)),
    );
    const refused = settled.find((r) => r.status === 'rejected');
    if (refused) throw refused.reason;
    applied.push(...settled.map((r) => (r as PromiseFulfilledResult<KubeObject>).value));
    if (stage[0].kind === 'CustomResourceDefinition' && !options.dryRun) await waitEstablished(client, stage, options);
  }
  options.replaced?.sort((a, b) => (refKey(a) < refKey(b) ? -1 : 1)); // replaced in parallel: keep reports stable
  return applied;
}

/** Annotations that keep an object when its release drops it (kc's and Helm's). */
const KEEP = [
  ['kc.dev/resource-policy', 'keep'],
  ['helm.sh/resource-policy', 'keep'],
];

/** True when an object asks to be kept rather than pruned or uninstalled. */
export function isKept(object: KubeObject): boolean {
  const annotations = (object.metadata?.annotations ?? {}) as Record<string, string>;
  return KEEP.some(([k, v]) => annotations[k] === v);
}
