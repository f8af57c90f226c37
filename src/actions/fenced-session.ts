import { fenceClient } from '../kube/fenced-client.js';
import type { LockHandle } from '../release/index.js';
import type { ClusterSession } from './cluster-session.js';

/**
 * The session as an operation holding `lock` uses it: every write to the cluster and to the release's records
 * first checks that the lock is still this process's, so a holder that lost it stops before its next write.
 */
export function fenceSession(session: ClusterSession, lock: LockHandle): ClusterSession {
  const guard = () => lock.assertHeld();
  return { ...session, client: fenceClient(session.client, guard), store: session.store.fenced(guard) };
}
