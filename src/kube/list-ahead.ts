// LISTs sent before it is known that they are needed, so that they travel with the requests that decide it: a no-op
// check then costs one round trip to the API server, not three. Reads only; one not needed is dropped.
import type { KubeClient, KubeObject } from './types.js';

/** The LISTs read ahead, by listKey. */
export type ListsAhead = ReadonlyMap<string, Promise<KubeObject[]>>;

/** The key of the LIST of `kind` in `namespace` ('' or undefined: cluster-scoped, or all namespaces). */
export function listKey(apiVersion: string, kind: string, namespace: string | undefined): string {
  return `${apiVersion}|${kind}|${namespace ?? ''}`;
}

/** Sends these LISTs now ([apiVersion, kind, namespace]); a failed one is read again by whoever needs it. */
export function listAhead(client: KubeClient, lists: readonly (readonly [string, string, string])[]): ListsAhead {
  const ahead = new Map<string, Promise<KubeObject[]>>();
  for (const [apiVersion, kind, namespace] of lists) {
    const key = listKey(apiVersion, kind, namespace);
    if (ahead.has(key)) continue;
    const listed = client.list(apiVersion, kind, namespace ? { namespace } : {});
    listed.catch(() => undefined); // not an unhandled rejection when nobody needs it
    ahead.set(key, listed);
  }
  return ahead;
}
