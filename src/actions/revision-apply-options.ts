// How a revision's objects are sent: placed in the release's namespace, and the options applyStaged applies them with.
import { placeObject, type StagedApplyOptions } from '../kube/apply.js';
import type { KubeObject } from '../kube/types.js';
import type { ReleaseRecord } from '../release/index.js';
import type { ClusterSession } from './cluster-session.js';
import type { OperationOptions } from './release-operation.js';

/** A revision's objects as they are sent: namespaced objects without a namespace placed in the release's. */
export function placeAll(
  session: ClusterSession,
  objects: KubeObject[],
  release: string,
  namespace: string,
): Promise<KubeObject[]> {
  return Promise.all(objects.map((o) => placeObject(session.client, o, release, namespace)));
}

/** How applyStaged applies a revision's objects. */
export function applyOptions(
  session: ClusterSession,
  record: ReleaseRecord,
  options: OperationOptions,
): StagedApplyOptions {
  return {
    release: `${record.namespace}/${record.name}`,
    namespace: record.namespace,
    force: options.force,
    adopt: options.adopt,
    forceReplace: options.forceReplace,
    replaceTimeoutMs: options.timeoutMs,
    clock: session.clock,
    signal: options.signal,
  };
}
