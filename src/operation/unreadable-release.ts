// A release whose records cannot be decrypted (the record key was lost or replaced) must still be removable: its
// index (kept in plain labels and annotations) names the kinds of its objects, and the live objects say whose
// they are. Hooks are in the encrypted payload, so such an uninstall runs none.
import { isKcError } from '../errors/index.js';
import { builtInKinds } from '../kube/discovery.js';
import { findOwned, type KindRef } from '../kube/owned-find.js';
import type { KubeClient } from '../kube/types.js';
import type { ReleaseRecord, ReleaseStore, RevisionSummary } from '../release/index.js';

/** True for the errors of a record that exists but cannot be decrypted. */
export function isUnreadable(err: unknown): boolean {
  return isKcError(err) && (err.code === 'RECORD_KEY_MISSING' || err.code === 'RECORD_CORRUPT');
}

/**
 * The latest revision's record, or, when it cannot be decrypted, one rebuilt from the live objects that say they
 * are the release's, in the kinds any revision's index names (the built-in kinds for records that name none).
 * `unreadable` says which: such a record has no values, hooks or manifest.
 */
export async function readForRemoval(
  client: KubeClient,
  store: ReleaseStore,
  history: readonly RevisionSummary[],
): Promise<{ record: ReleaseRecord; unreadable: boolean }> {
  const latest = history.at(-1)!;
  try {
    return { record: await store.read(latest.namespace, latest.name, latest.revision), unreadable: false };
  } catch (err) {
    if (!isUnreadable(err)) throw err;
  }
  const named = history.flatMap((h) => h.kinds ?? []);
  const kinds = history.some((h) => !h.kinds) ? [...named, ...builtInKinds()] : named;
  const unique = [...new Map(kinds.map((k): [string, KindRef] => [`${k.apiVersion} ${k.kind}`, k])).values()];
  const live = await findOwned(client, `${latest.namespace}/${latest.name}`, latest.namespace, unique);
  const record: ReleaseRecord = {
    ...latest,
    values: {},
    userValues: {},
    secretPaths: [],
    objects: live,
    hookObjects: [],
    inventory: live.map(({ apiVersion, kind, metadata }) => ({
      apiVersion: String(apiVersion),
      kind: String(kind),
      name: String(metadata?.name),
      ...(metadata?.namespace ? { namespace: String(metadata.namespace) } : {}),
    })),
    firstDeployed: history[0].updated,
    deployedBy: latest.deployedBy ?? 'unknown',
  };
  return { record, unreadable: true };
}
