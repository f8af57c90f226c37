import { systemClock, type Clock } from '../clock.js';
import { ApiClient } from '../kube/api-client.js';
import { loadClusterConnection, type ClusterSelector } from '../kube/kubeconfig.js';
import { createTransport } from '../kube/transport.js';
import type { KubeClient } from '../kube/types.js';
import { KcError } from '../errors/index.js';
import { LeaseLocker, ReleaseStore, SecretDriver, currentHolder, type LeaseOptions, type ReleaseLocker } from '../release/index.js';

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

/**
 * The lock's timing: KC_LOCK_DURATION_SECONDS (1-3600, default 30) is how long a silent holder keeps a release
 * locked; it renews every third of that. Shorter suits CI, where a killed run should free its releases soon.
 */
export function leaseOptions(env: NodeJS.ProcessEnv): LeaseOptions {
  const raw = env.KC_LOCK_DURATION_SECONDS;
  if (raw === undefined || raw === '') return {};
  const seconds = Number(raw);
  if (!/^\d+$/.test(raw) || seconds < 1 || seconds > 3600) {
    throw new KcError('USAGE', `KC_LOCK_DURATION_SECONDS=${JSON.stringify(raw)} is not a number of seconds from 1 to 3600`, {
      hint: 'unset it for the default of 30 s',
    });
  }
  return { durationSeconds: seconds };
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
    locker: new LeaseLocker(client, systemClock, holder, leaseOptions(process.env)),
    clock: systemClock,
    namespace: conn.namespace,
    context: conn.context,
    user: `${holder.user}@${holder.host}`,
    preconnect: () => transport.connect(),
    close: () => transport.close(),
  };
}
