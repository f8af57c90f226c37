// When a release's records cannot be read (its record key was lost), what it owns is found the other way round:
// from the live objects, by the release annotation and kc's field manager, in the kinds its index names.
import { isKcError } from '../errors/index.js';
import { notOwnedReason } from './ownership.js';
import type { KubeClient, KubeObject } from './types.js';

/** A kind as `apiVersion` and `kind`. */
export interface KindRef {
  apiVersion: string;
  kind: string;
}

/**
 * Every live object of `kinds` that says it is `release`'s (`namespace/name`), as metadata with its apiVersion and
 * kind: namespaced kinds in all namespaces (in `namespace` alone when kc may not list cluster-wide), cluster-scoped
 * ones as a whole. Kinds the server does not serve are skipped.
 */
export async function findOwned(
  client: KubeClient,
  release: string,
  namespace: string,
  kinds: readonly KindRef[],
): Promise<KubeObject[]> {
  const found = await Promise.all(
    kinds.map(async ({ apiVersion, kind }) => {
      const namespaced = await client.isNamespaced(apiVersion, kind);
      if (namespaced === undefined) return [];
      const items = await client.list(apiVersion, kind, { metadataOnly: true }).catch((err) => {
        if (namespaced && isKcError(err) && err.code === 'FORBIDDEN')
          return client.list(apiVersion, kind, { namespace, metadataOnly: true });
        throw err;
      });
      return items
        .filter((o) => notOwnedReason(o, release) === undefined)
        .map((o): KubeObject => ({ ...o, apiVersion, kind }));
    }),
  );
  return found.flat();
}
