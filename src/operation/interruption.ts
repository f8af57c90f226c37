// A revision is pending only while an operation runs, and an operation runs only while it holds the release's lock.
// A pending revision whose lock expired (or is gone) was left by a process that stopped: killed, crashed, cut off.
// Read commands say so at once, instead of "pending" until the next operation marks it failed.
import type { Clock } from '../clock.js';
import { isKcError } from '../errors/index.js';
import type { KubeClient } from '../kube/types.js';
import { describeHolder, isPending, leaseExpired, leaseRef, type RevisionSummary } from '../release/index.js';

/**
 * `summaries` with `interrupted` set on each pending revision whose lock is expired or missing; reads one Lease
 * per release with a pending revision, writes nothing. A Lease kc may not read leaves the revision as it is.
 */
export async function markInterrupted(
  client: KubeClient,
  clock: Clock,
  summaries: RevisionSummary[],
): Promise<RevisionSummary[]> {
  const pending = summaries.filter((s) => isPending(s.status));
  const releases = [...new Map(pending.map((s) => [`${s.namespace}/${s.name}`, s])).values()];
  const leases = new Map(
    await Promise.all(
      releases.map(async (s) => {
        try {
          return [`${s.namespace}/${s.name}`, { lease: await client.get(leaseRef(s.namespace, s.name)) }] as const;
        } catch (err) {
          if (isKcError(err) && err.code === 'FORBIDDEN') return [`${s.namespace}/${s.name}`, undefined] as const;
          throw err;
        }
      }),
    ),
  );
  return summaries.map((s) => {
    const found = isPending(s.status) ? leases.get(`${s.namespace}/${s.name}`) : undefined;
    if (!found) return s;
    const { lease } = found;
    if (lease && !leaseExpired(lease, clock.now())) return s; // still running
    const spec = (lease?.spec ?? {}) as { renewTime?: string; holderIdentity?: string };
    const since = spec.renewTime ? new Date(spec.renewTime).toISOString() : s.updated;
    const by = spec.holderIdentity ? describeHolder(spec.holderIdentity).replace(/ since .*$/, '') : s.deployedBy;
    return { ...s, interrupted: { since, ...(by ? { by } : {}) } };
  });
}
