import { systemClock, type Clock } from '../clock.js';
import { ApiClient } from '../kube/api-client.js';
import { loadClusterConnection, type ClusterSelector } from '../kube/kubeconfig.js';
import { createTransport } from '../kube/transport.js';
import type { KubeClient } from '../kube/types.js';
import { LeaseLocker, ReleaseStore, SecretDriver, currentHolder, type ReleaseLocker } from '../release/index.js';

/** A connection to one cluster with the release store and lock over it. */
export interface ClusterSession {
  client: KubeClient;
  store: ReleaseStore;
  locker: ReleaseLocker;
  clock: Clock;
  /** The kubeconfig context's default namespace. */
  namespace: string;
  context: string;
  /** Who is acting, for release records. */
  user: string;
  /** Starts connecting to the API server now, e.g. while a chart loads; errors surface with the first request. */
  preconnect(): void;
  close(): void;
}

/** Opens a session to the cluster a kubeconfig and context name; nothing is sent until the first call. */
export async function connectCluster(
  selector: ClusterSelector,
  options: { maxInFlight?: number; signal?: AbortSignal } = {},
): Promise<ClusterSession> {
  const conn = await loadClusterConnection(selector);
  const transport = createTransport(conn, { maxInFlight: options.maxInFlight, signal: options.signal });
  const client = new ApiClient(transport, conn.namespace);
  const holder = currentHolder(systemClock);
  return {
    client,
    store: new ReleaseStore(new SecretDriver(client)),
    locker: new LeaseLocker(client, systemClock, holder),
    clock: systemClock,
    namespace: conn.namespace,
    context: conn.context,
    user: `${holder.user}@${holder.host}`,
    preconnect: () => transport.connect(),
    close: () => transport.close(),
  };
}
