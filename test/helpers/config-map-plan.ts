// A release plan of ConfigMaps, for tests of runOperation over the memory session.
import type { OperationOptions, ReleasePlan } from '../../src/actions/release-operation.js';

/** Release `app` in namespace `ns`: one ConfigMap per name (data `v` = its name), values `{ names }`. */
export function configMapPlan(names: string[]): ReleasePlan {
  return {
    name: 'app',
    namespace: 'ns',
    chart: { name: 'maps', version: '1.0.0' },
    objects: names.map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data: { v: name } })),
    values: { names },
    userValues: {},
    secretPaths: [],
  };
}

/** Options of an operation that does not wait, keeps 10 revisions and takes the lock at once. */
export const QUICK_OPERATION: OperationOptions = {
  wait: false,
  timeoutMs: 1000,
  atomic: false,
  force: false,
  adopt: false,
  historyMax: 10,
  waitForLockMs: 0,
};
