// The watches of one wait: one per kind and namespace of the objects awaited, each keeping the latest version of
// the objects it sees. An object whose watch has not listed yet, or failed, is the waiter's to read itself.
import { refKey, refOf, type KubeClient, type KubeObject, type ObjectRef, type WatchEvent } from './types.js';

/** At most this many watches per wait; objects of further kinds and namespaces are read by polling. */
export const MAX_WATCHES = 50;

/** The watches of one wait. */
export interface WatchSet {
  /** True once the object's watch has listed and runs; false while it starts, or after it failed. */
  watched(ref: ObjectRef): boolean;
  /** The objects seen changed since the last call: key (refKey) to its latest version, undefined when it is gone. */
  drain(): Map<string, KubeObject | undefined>;
  /** Aborts at the next news (a change, a watch listed or failed); a new one after each drain. */
  wake(): AbortSignal;
  /** Ends every watch. */
  stop(): void;
}

interface Group {
  apiVersion: string;
  kind: string;
  namespace?: string;
  keys: Set<string>;
  names: string[];
  state: 'starting' | 'watched' | 'failed';
}

function groupsOf(refs: readonly ObjectRef[]): Group[] {
  const groups = new Map<string, Group>();
  for (const ref of refs) {
    const id = refKey({ ...ref, name: '' });
    let group = groups.get(id);
    if (!group) {
      const { apiVersion, kind, namespace } = ref;
      group = { apiVersion, kind, namespace, keys: new Set(), names: [], state: 'starting' };
      groups.set(id, group);
    }
    group.keys.add(refKey(ref));
    group.names.push(ref.name);
  }
  return [...groups.values()];
}

/**
 * Starts one watch per kind and namespace of `refs` (narrowed to the name where there is one object), at most
 * MAX_WATCHES; a watch that cannot start or gives up leaves its objects to polling, and never fails the wait.
 */
export function watchSet(client: KubeClient, refs: readonly ObjectRef[]): WatchSet {
  const stopper = new AbortController();
  let waker = new AbortController();
  const changed = new Map<string, KubeObject | undefined>();
  const byKey = new Map<string, Group>();
  const news = () => waker.abort();

  const onEvent = (group: Group) => (event: WatchEvent) => {
    if (stopper.signal.aborted) return;
    if (event.type === 'SYNCED') {
      const listed = new Map(event.objects.map((o) => [refKey(refOf(o)), o]));
      for (const key of group.keys) changed.set(key, listed.get(key));
      group.state = 'watched';
    } else {
      const key = refKey(refOf(event.object));
      if (!group.keys.has(key)) return;
      changed.set(key, event.type === 'DELETED' ? undefined : event.object);
    }
    news();
  };
  const failed = (group: Group) => () => {
    if (stopper.signal.aborted) return;
    group.state = 'failed';
    news();
  };

  const start = async (group: Group): Promise<void> => {
    // An object without a namespace is watched only where its kind has none: elsewhere the server defaults it.
    if (group.namespace === undefined && (await client.isNamespaced(group.apiVersion, group.kind)) !== false) {
      throw new Error('a namespaced kind without a namespace');
    }
    const fieldSelector = group.names.length === 1 ? `metadata.name=${group.names[0]}` : undefined;
    const { signal } = stopper;
    const options = { namespace: group.namespace, fieldSelector, signal, onEvent: onEvent(group) };
    await client.watch(group.apiVersion, group.kind, options);
    if (!signal.aborted) throw new Error('the watch ended by itself');
  };

  groupsOf(refs).forEach((group, i) => {
    for (const key of group.keys) byKey.set(key, group);
    if (i >= MAX_WATCHES) return void (group.state = 'failed');
    start(group).catch(failed(group));
  });

  return {
    watched: (ref) => byKey.get(refKey(ref))?.state === 'watched',
    drain() {
      const out = new Map(changed);
      changed.clear();
      if (waker.signal.aborted) waker = new AbortController();
      return out;
    },
    wake: () => waker.signal,
    stop: () => stopper.abort(),
  };
}
