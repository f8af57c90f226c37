import type { ApplyOptions, DeleteOptions, KubeClient, KubeObject, ObjectRef } from './types.js';

/**
 * `client` with every write preceded by `guard` (which throws to stop it): an operation's writes happen only while
 * it still holds its release's lock. Reads and dry runs pass unguarded.
 */
export function fenceClient(client: KubeClient, guard: () => Promise<void>): KubeClient {
  return {
    async apply(object: KubeObject, options: ApplyOptions) {
      if (!options.dryRun) await guard();
      return client.apply(object, options);
    },
    get: (ref) => client.get(ref),
    list: (apiVersion, kind, options) => client.list(apiVersion, kind, options),
    watch: (apiVersion, kind, options) => client.watch(apiVersion, kind, options),
    async create(object: KubeObject, options?: { dryRun?: boolean }) {
      if (!options?.dryRun) await guard();
      return client.create(object, options);
    },
    async replace(object: KubeObject) {
      await guard();
      return client.replace(object);
    },
    async mergePatch(ref: ObjectRef, patch: Record<string, unknown>) {
      await guard();
      return client.mergePatch(ref, patch);
    },
    async delete(ref: ObjectRef, options?: DeleteOptions) {
      await guard();
      return client.delete(ref, options);
    },
    isNamespaced: (apiVersion, kind) => client.isNamespaced(apiVersion, kind),
    resetDiscovery: () => client.resetDiscovery(),
    podLogs: (namespace, pod) => client.podLogs(namespace, pod),
    serverVersion: () => client.serverVersion(),
  };
}
