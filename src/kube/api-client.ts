import { Discovery, groupVersionPath } from './discovery.js';
import { expectItems, expectJsonObject, expectObject } from './response-check.js';
import { KcError } from '../errors/index.js';
import type { Transport } from './transport.js';
import { describeRef, refOf, type ApplyOptions, type DeleteOptions, type KubeClient, type KubeObject, type ListOptions, type ObjectRef } from './types.js';
import type { WatchOptions } from './types.js';
import { DEFAULT_WATCH_LOOP, runWatch, type WatchLoopLimits } from './watch-loop.js';
import { watchRequest } from './watch-request.js';

const enc = encodeURIComponent;
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/** A KubeClient speaking the REST API through a Transport. */
export class ApiClient implements KubeClient {
  private readonly discovery: Discovery;

  constructor(
    private readonly transport: Transport,
    private readonly defaultNamespace = 'default',
    /** Bounds of watches, and how long the server keeps one watch request open (timeoutSeconds). */
    private readonly watching: { loop?: WatchLoopLimits; seconds?: number } = {},
  ) {
    this.discovery = new Discovery(transport);
  }

  private async path(ref: { apiVersion: string; kind: string; namespace?: string; name?: string }): Promise<string> {
    const info = await this.discovery.require(ref.apiVersion, ref.kind);
    const ns = info.namespaced ? `/namespaces/${enc(ref.namespace ?? this.defaultNamespace)}` : '';
    return `${groupVersionPath(ref.apiVersion)}${ns}/${info.plural}${ref.name ? `/${enc(ref.name)}` : ''}`;
  }

  async apply(object: KubeObject, options: ApplyOptions): Promise<KubeObject> {
    const ref = refOf(object);
    const res = await this.transport.request({
      method: 'PATCH',
      path: await this.path(ref),
      query: {
        fieldManager: options.fieldManager,
        force: options.force ? 'true' : undefined,
        dryRun: options.dryRun ? 'All' : undefined,
        // Apply refuses unknown fields whatever this says; the server's default (Warn) only adds a second, strict
        // YAML parse of the body to find duplicate keys, which JSON.stringify never writes (~5% of its CPU here).
        fieldValidation: 'Ignore',
      },
      body: object,
      contentType: 'application/apply-patch+yaml',
    });
    return expectObject(res, `apply ${describeRef(ref)}`, { kind: ref.kind, name: ref.name });
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const res = await this.transport.request({ method: 'GET', path: await this.path(ref) });
    if (res.status === 404) return undefined;
    return expectObject(res, `get ${describeRef(ref)}`, { kind: ref.kind, name: ref.name });
  }

  async list(apiVersion: string, kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    const path = await this.collection(apiVersion, kind, options.namespace);
    return (await this.listing(apiVersion, kind, path, options)).objects;
  }

  /** The path of a kind's objects, in one namespace or (for a cluster-scoped kind, or none given) all. */
  private async collection(apiVersion: string, kind: string, namespace: string | undefined): Promise<string> {
    const info = await this.discovery.require(apiVersion, kind);
    const ns = info.namespaced && namespace ? `/namespaces/${enc(namespace)}` : '';
    return `${groupVersionPath(apiVersion)}${ns}/${info.plural}`;
  }

  /** A list with the resourceVersion it was read at (where a watch starts). */
  private async listing(
    apiVersion: string,
    kind: string,
    path: string,
    options: ListOptions,
  ): Promise<{ objects: KubeObject[]; resourceVersion: string }> {
    const res = await this.transport.request({
      method: 'GET',
      path,
      query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector },
      accept: options.metadataOnly ? METADATA_LIST : undefined,
    });
    const items = expectItems(res, `list ${kind}`);
    const metadata = (res.body as { metadata?: { resourceVersion?: unknown } }).metadata;
    const resourceVersion = typeof metadata?.resourceVersion === 'string' ? metadata.resourceVersion : '';
    // Lists omit each item's apiVersion/kind; put them back so items can be used as refs.
    const objects = items.map((i) => ({
      ...i,
      apiVersion: i.apiVersion ?? apiVersion,
      kind: i.kind === 'PartialObjectMetadata' || !i.kind ? kind : i.kind,
    }));
    return { objects, resourceVersion };
  }

  async watch(apiVersion: string, kind: string, options: WatchOptions): Promise<void> {
    const stream = this.transport.stream?.bind(this.transport);
    if (!stream) throw new KcError('API_ERROR', `watch ${kind}: this connection cannot stream answers`);
    const path = await this.collection(apiVersion, kind, options.namespace);
    const { labelSelector, fieldSelector } = options;
    const target = { apiVersion, kind, path, labelSelector, fieldSelector, seconds: this.watching.seconds ?? 60 };
    const source = {
      what: `watch ${kind}`,
      list: () => this.listing(apiVersion, kind, path, { labelSelector, fieldSelector }),
      watch: (version: string, onEvent: Parameters<typeof watchRequest>[3], signal: AbortSignal) =>
        watchRequest(stream, target, version, onEvent, signal),
    };
    return runWatch(source, options.onEvent, options.signal, this.watching.loop ?? DEFAULT_WATCH_LOOP);
  }

  async create(object: KubeObject, options: { dryRun?: boolean } = {}): Promise<KubeObject> {
    const ref = refOf(object);
    const res = await this.transport.request({
      method: 'POST',
      path: await this.path({ ...ref, name: undefined }),
      query: { dryRun: options.dryRun ? 'All' : undefined },
      body: object,
      // A dry run changes nothing, so it may be sent again after a lost answer.
      idempotent: options.dryRun ? true : undefined,
    });
    return expectObject(res, `create ${describeRef(ref)}`, { kind: ref.kind, name: ref.name || undefined });
  }

  async replace(object: KubeObject): Promise<KubeObject> {
    const ref = refOf(object);
    const res = await this.transport.request({ method: 'PUT', path: await this.path(ref), body: object });
    return expectObject(res, `replace ${describeRef(ref)}`, { kind: ref.kind, name: ref.name });
  }

  async mergePatch(ref: ObjectRef, patch: Record<string, unknown>): Promise<KubeObject> {
    // A merge patch sets what it names, so sending it twice is harmless unless it carries a precondition.
    const idempotent = (patch.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion === undefined;
    const res = await this.transport.request({
      method: 'PATCH', path: await this.path(ref), body: patch, contentType: 'application/merge-patch+json', idempotent,
    });
    return expectObject(res, `patch ${describeRef(ref)}`, { kind: ref.kind, name: ref.name });
  }

  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<boolean> {
    const info = await this.discovery.find(ref.apiVersion, ref.kind);
    if (!info) return false;
    const { preconditions } = options;
    const res = await this.transport.request({
      method: 'DELETE',
      path: await this.path(ref),
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: options.propagation ?? 'Background', ...(preconditions ? { preconditions } : {}) },
      // Gone is gone however often it is asked for, so a DELETE is sent again after a lost answer, unless it names a
      // resourceVersion: the first, lost DELETE may have changed it (Foreground deletion), failing the retry.
      idempotent: preconditions?.resourceVersion === undefined,
    });
    // A 404 to a retry after a lost answer may be this DELETE's own doing: the object is gone, reported as deleted.
    if (res.status === 404) return res.afterLostAnswer === true;
    expectJsonObject(res, `delete ${describeRef(ref)}`);
    return true;
  }

  async isNamespaced(apiVersion: string, kind: string): Promise<boolean | undefined> {
    return (await this.discovery.find(apiVersion, kind))?.namespaced;
  }

  resetDiscovery(): void {
    this.discovery.reset();
  }

  async podLogs(namespace: string, pod: string): Promise<string | undefined> {
    const res = await this.transport.request({ method: 'GET', path: `/api/v1/namespaces/${enc(namespace)}/pods/${enc(pod)}/log`, query: { tailLines: '20' }, accept: 'text/plain' });
    return res.status < 400 && typeof res.body === 'string' ? res.body : undefined;
  }

  async serverVersion(): Promise<string> {
    const res = await this.transport.request({ method: 'GET', path: '/version' });
    const body = expectJsonObject(res, 'read server version');
    return typeof body.gitVersion === 'string' ? body.gitVersion : 'unknown';
  }
}
