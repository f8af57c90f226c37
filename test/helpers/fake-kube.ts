// An in-memory KubeClient for unit tests: stores applied objects, counts calls; no readiness simulation.
import { KcError } from '../../src/errors/index.js';
import { CLUSTER_SCOPED_KINDS } from '../../src/synth/normalize.js';
import { refKey, refOf, type DeleteOptions, type KubeClient, type KubeObject, type ObjectRef } from '../../src/kube/types.js';
import type { WatchOptions } from '../../src/kube/types.js';

type Change = 'ADDED' | 'MODIFIED' | 'DELETED';

/** fieldsV1 of an apply, as the API server records it: `f:` keys for map fields, each list owned as a whole. */
function fieldSet(value: Record<string, unknown>): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    set[`f:${key}`] = typeof v === 'object' && !Array.isArray(v) ? fieldSet(v as Record<string, unknown>) : {};
  }
  return set;
}

function appliedFields(object: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, status: _s, metadata = {}, ...body } = object as Record<string, unknown>;
  const { name: _n, namespace: _ns, managedFields: _mf, resourceVersion: _rv, ...meta } = metadata as Record<
    string,
    unknown
  >;
  return fieldSet({ ...body, metadata: meta });
}

/** A KubeClient over a Map, with a call log. */
export class FakeKube implements KubeClient {
  readonly objects = new Map<string, KubeObject>();
  readonly calls: string[] = [];
  /** Record each apply's field manager in managedFields, as the API server does (off: stored objects stay as sent). */
  managedFields = true;
  /**
   * When set and true for an apply to an existing object, the apply is refused as the API server refuses a change of
   * an immutable field (422 Invalid); the object stays as it was.
   */
  immutable?: (sent: KubeObject, live: KubeObject) => boolean;
  private version = 0;
  /** One line per watch started (`watch Kind namespace [fieldSelector]`); kept apart from `calls`. */
  readonly watches: string[] = [];
  /** When set, every watch rejects with it (as a server refusing the watch verb). */
  watchError?: Error;
  private readonly watchers = new Set<(type: Change, object: KubeObject) => void>();

  private stamp(o: KubeObject): KubeObject {
    return { ...o, metadata: { ...o.metadata, resourceVersion: String(++this.version) } };
  }
  async apply(object: KubeObject, options: { fieldManager?: string; dryRun?: boolean; force?: boolean }): Promise<KubeObject> {
    this.calls.push(`apply ${object.kind}/${object.metadata?.name}`);
    const live = this.objects.get(refKey(refOf(object)));
    if (live && this.immutable?.(object, live)) {
      throw new KcError('OBJECT_INVALID', `apply ${object.kind}/${object.metadata?.name}: ${object.kind} is invalid`, {
        details: ['spec: Forbidden: updates to spec for fields other than ... are forbidden'],
      });
    }
    const fieldsV1 = appliedFields(object);
    const entry = { manager: options.fieldManager, operation: 'Apply', apiVersion: object.apiVersion, fieldsV1 };
    const managed = this.managedFields ? { managedFields: [entry] } : {};
    const stored = this.stamp({ ...object, metadata: { ...object.metadata, ...managed } });
    if (!options.dryRun) this.objects.set(refKey(refOf(object)), stored);
    if (!options.dryRun) this.changed(live ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }
  /**
   * A watch over the map: the objects of the kind (in the namespace, of the name a `metadata.name=` field selector
   * names) at once, then every change made through this client, until the signal aborts. No label selectors.
   */
  async watch(_apiVersion: string, kind: string, options: WatchOptions): Promise<void> {
    const { namespace, fieldSelector, signal } = options;
    this.watches.push(`watch ${kind} ${namespace ?? '*'}${fieldSelector ? ` ${fieldSelector}` : ''}`);
    await Promise.resolve();
    if (this.watchError) throw this.watchError;
    const name = /^metadata\.name=(.+)$/.exec(fieldSelector ?? '')?.[1];
    const selected = (o: KubeObject) =>
      o.kind === kind && (!namespace || o.metadata?.namespace === namespace) && (!name || o.metadata?.name === name);
    if (signal.aborted) return;
    options.onEvent({ type: 'SYNCED', objects: [...this.objects.values()].filter(selected) });
    await new Promise<void>((resolve) => {
      const watcher = (type: Change, object: KubeObject) => selected(object) && options.onEvent({ type, object });
      this.watchers.add(watcher);
      const stop = () => {
        this.watchers.delete(watcher);
        resolve();
      };
      if (signal.aborted) return stop();
      signal.addEventListener('abort', stop, { once: true });
    });
  }
  /** How many watches are running now. */
  get watching(): number {
    return this.watchers.size;
  }
  private changed(type: Change, object: KubeObject): void {
    for (const watcher of [...this.watchers]) watcher(type, object);
  }
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    this.calls.push(`get ${ref.kind}/${ref.name}`);
    return this.objects.get(refKey(ref));
  }
  async list(apiVersion: string, kind: string, options: { namespace?: string; labelSelector?: string } = {}): Promise<KubeObject[]> {
    this.calls.push(`list ${kind}`);
    // Equality (`k=v`), inequality (`k!=v`, which a missing label meets, as in the API server) and existence (`k`).
    const terms = (options.labelSelector ?? '').split(',').filter(Boolean);
    const wanted = terms.map((s) => /^([^!=]+)(!=|=)?(.*)$/.exec(s)!);
    return [...this.objects.values()].filter((o) => {
      if (o.kind !== kind || (options.namespace && o.metadata?.namespace !== options.namespace)) return false;
      const labels = (o.metadata?.labels ?? {}) as Record<string, string>;
      return wanted.every(([, k, op, v]) => (op === undefined ? k in labels : (labels[k] === v) === (op === '=')));
    });
  }
  async create(object: KubeObject, options: { dryRun?: boolean } = {}): Promise<KubeObject> {
    this.calls.push(`create ${object.kind}/${object.metadata?.name}${options.dryRun ? ' (dry run)' : ''}`);
    const key = refKey(refOf(object));
    if (this.objects.has(key)) throw new KcError('ALREADY_EXISTS', `${object.kind} ${object.metadata?.name} exists`);
    const stored = this.stamp(object);
    if (!options.dryRun) this.objects.set(key, stored);
    if (!options.dryRun) this.changed('ADDED', stored);
    return stored;
  }
  async replace(object: KubeObject): Promise<KubeObject> {
    this.calls.push(`replace ${object.kind}/${object.metadata?.name}`);
    const key = refKey(refOf(object));
    const current = this.objects.get(key);
    if (object.metadata?.resourceVersion && current?.metadata?.resourceVersion !== object.metadata.resourceVersion) throw new KcError('CONFLICT', 'changed');
    const stored = this.stamp(object);
    this.objects.set(key, stored);
    this.changed('MODIFIED', stored);
    return stored;
  }
  async mergePatch(ref: ObjectRef, patch: Record<string, unknown>): Promise<KubeObject> {
    this.calls.push(`patch ${ref.kind}/${ref.name}`);
    const current = this.objects.get(refKey(ref));
    if (!current) throw new KcError('NOT_FOUND', 'not found');
    const wanted = (patch.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
    if (wanted && current.metadata?.resourceVersion !== wanted) throw new KcError('CONFLICT', 'the object has been modified');
    const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
      const out = { ...a };
      for (const [k, v] of Object.entries(b)) out[k] = v && typeof v === 'object' && !Array.isArray(v) ? merge((a[k] ?? {}) as Record<string, unknown>, v as Record<string, unknown>) : v;
      return out;
    };
    const stored = this.stamp(merge(current, patch) as KubeObject);
    this.objects.set(refKey(ref), stored);
    this.changed('MODIFIED', stored);
    return stored;
  }
  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<boolean> {
    this.calls.push(`delete ${ref.kind}/${ref.name}`);
    const current = this.objects.get(refKey(ref));
    const wanted = options.preconditions?.resourceVersion;
    if (current && wanted && current.metadata?.resourceVersion !== wanted) throw new KcError('CONFLICT', 'precondition failed');
    const deleted = this.objects.delete(refKey(ref));
    if (current && deleted) this.changed('DELETED', current);
    return deleted;
  }
  async podLogs(): Promise<string | undefined> {
    return undefined;
  }
  async isNamespaced(_apiVersion: string, kind: string): Promise<boolean | undefined> {
    return !CLUSTER_SCOPED_KINDS.has(kind);
  }
  resetDiscovery(): void {}
  async serverVersion(): Promise<string> {
    return 'v1.36.3-fake';
  }
}
