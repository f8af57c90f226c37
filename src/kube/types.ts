import type { KubeObject } from '../synth/order.js';

export type { KubeObject } from '../synth/order.js';

/** Identifies one object in the cluster. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
}

/** Options of a server-side apply. */
export interface ApplyOptions {
  fieldManager: string;
  /** Take fields owned by other managers (--force-conflicts). */
  force?: boolean;
  /** Validate and compute the result without persisting it. */
  dryRun?: boolean;
}

/** Options of a delete. */
export interface DeleteOptions {
  propagation?: 'Foreground' | 'Background' | 'Orphan';
  /** Delete only the object with this uid and resourceVersion (the one kc read and judged). */
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** How to select objects in a list call. */
export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Ask only for metadata (PartialObjectMetadataList): cheap listings. */
  metadataOnly?: boolean;
}

/** A watch's news: the whole current set (first, and again after a re-list), or one object added, changed or gone. */
export type WatchEvent =
  | { type: 'SYNCED'; objects: KubeObject[] }
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject };

/** What a watch selects (as a list does), where its events go, and what ends it. */
export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  onEvent: (event: WatchEvent) => void;
  /** Ends the watch; its promise then resolves. */
  signal: AbortSignal;
}

/** The Kubernetes API as kc uses it; the client-node adapter and test fakes implement it. */
export interface KubeClient {
  /** Server-side apply; returns the object as persisted (or as it would be, with dryRun). */
  apply(object: KubeObject, options: ApplyOptions): Promise<KubeObject>;
  /** Reads an object; undefined when it does not exist. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, options?: ListOptions): Promise<KubeObject[]>;
  /**
   * Lists, then watches objects of a kind until `signal` aborts (then resolves), resuming after disconnects and
   * re-listing when the server forgot the version; rejects when the server refuses (e.g. FORBIDDEN) or keeps failing.
   */
  watch(apiVersion: string, kind: string, options: WatchOptions): Promise<void>;
  /**
   * Creates an object; throws CONFLICT-coded KcError (ALREADY_EXISTS) when it exists. With dryRun, validates and
   * admits it as new without persisting it (an existing object is still ALREADY_EXISTS, found after validation).
   */
  create(object: KubeObject, options?: { dryRun?: boolean }): Promise<KubeObject>;
  /** Replaces an object; with metadata.resourceVersion set, fails when it changed meanwhile. */
  replace(object: KubeObject): Promise<KubeObject>;
  /** JSON merge patch (RFC 7386), e.g. to change only labels and annotations. */
  mergePatch(ref: ObjectRef, patch: Record<string, unknown>): Promise<KubeObject>;
  /**
   * Deletes an object; false when it was already gone. With preconditions, a CONFLICT-coded KcError when the live
   * object is no longer the one read (another uid, or changed since that resourceVersion).
   */
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<boolean>;
  /** Whether a kind is namespaced, from discovery; undefined when the server does not know the kind. */
  isNamespaced(apiVersion: string, kind: string): Promise<boolean | undefined>;
  /** Forgets cached discovery (after CRDs are created). */
  resetDiscovery(): void;
  /** The last lines of a pod's log; undefined when there is none. */
  podLogs(namespace: string, pod: string): Promise<string | undefined>;
  /** The server's version, e.g. v1.34.2 (also proves it is reachable). */
  serverVersion(): Promise<string>;
}

/** The ref of an object. */
export function refOf(o: KubeObject): ObjectRef {
  const ref: ObjectRef = { apiVersion: o.apiVersion ?? '', kind: o.kind ?? '', name: o.metadata?.name ?? '' };
  if (o.metadata?.namespace) ref.namespace = o.metadata.namespace;
  return ref;
}

/** `Kind/name` or `Kind/namespace/name`, for messages. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** A stable key for an object ref (group/kind/namespace/name; the version does not matter). */
export function refKey(ref: ObjectRef): string {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return `${group}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/** One entry of an object's metadata.managedFields: who wrote which fields, and how (Apply or Update). */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}
