import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import { convertRevision, type ConvertedRevision } from '../helm/convert.js';
import { readHelmHistory, type HelmRecordSecret } from '../helm/release-reader.js';
import { takeOwnership } from '../helm/take-ownership.js';
import { placeObject } from '../kube/apply.js';
import { refOf, type ObjectRef } from '../kube/types.js';
import { afterFailure } from '../operation/after-failure.js';
import { checkReleaseName } from '../release/name.js';
import type { ReleaseRecord, ReleaseStatus } from '../release/index.js';
import type { ClusterSession } from './cluster-session.js';
import { fenceSession } from './fenced-session.js';
import { startOperation } from './operation-start.js';
import { planDigest } from './release-operation.js';
import type { ClusterOptions } from './release-options.js';

/** Options of `kc adopt helm`. */
export interface AdoptHelmOptions extends ClusterOptions {
  release: string;
  /** Delete Helm's record Secrets once the kc records are written. */
  deleteHelmRecords?: boolean;
  waitForLockMs?: number;
  signal?: AbortSignal;
}

/** What `kc adopt helm` did. */
export interface AdoptHelmResult {
  release: string;
  namespace: string;
  /** The revisions imported, oldest first, as kc now records them. */
  revisions: { revision: number; status: ReleaseStatus; chart: string }[];
  /** The revision whose objects kc now owns. */
  deployed: number;
  /** The live objects kc took ownership of. */
  adopted: ObjectRef[];
  /** Names of the Helm record Secrets deleted (--delete-helm-records). */
  deletedHelmRecords: string[];
}

/** Refuses a Helm release whose latest revision an operation left (or keeps) in progress. */
function refusePending(records: HelmRecordSecret[], name: string, namespace: string): void {
  const latest = records.at(-1)!.release;
  if (!latest.status.startsWith('pending') && latest.status !== 'uninstalling' && latest.status !== 'unknown') return;
  throw new KcError(
    'HELM_RELEASE_PENDING',
    `Helm release "${name}" is ${latest.status} (revision ${latest.revision}): ` +
      'an operation on it is running or was interrupted',
    {
      hint:
        `wait for it to finish, or end it: \`helm rollback ${name} -n ${namespace}\` ` +
        `(or \`helm uninstall ${name} -n ${namespace}\`), then adopt again`,
    },
  );
}

/** A converted Helm revision as a kc record: its objects placed to know where they are (the inventory). */
async function toRecord(
  session: ClusterSession,
  namespace: string,
  name: string,
  c: ConvertedRevision,
): Promise<ReleaseRecord> {
  const release = `${namespace}/${name}`;
  const placed = await Promise.all(c.objects.map((o) => placeObject(session.client, o, release, namespace)));
  const plan = { name, namespace, chart: c.chart, objects: c.objects, hooks: c.hookObjects, values: c.values };
  return {
    name,
    namespace,
    revision: c.revision,
    status: c.status,
    chart: c.chart,
    description: c.description,
    updated: c.updated,
    digest: planDigest({ ...plan, userValues: c.userValues, secretPaths: [] }),
    values: c.values,
    userValues: c.userValues,
    // Helm has no notion of secret values: none are marked (the record's payload is encrypted all the same).
    secretPaths: [],
    objects: c.objects,
    hookObjects: c.hookObjects,
    inventory: placed.map(refOf),
    ...(c.notes ? { notes: c.notes } : {}),
    firstDeployed: c.firstDeployed,
    deployedBy: session.user,
  };
}

/**
 * `kc adopt helm R`: imports every revision of Helm release R (Secret driver) as kc's history and makes the live
 * objects of its deployed revision kc's, changing nothing else in the cluster (no pod restarts). Refused when a kc
 * release R exists or Helm's latest revision is pending. The objects are taken first: a failure there writes no
 * kc record; a failure writing the records removes those written. Helm's Secrets are deleted (with
 * --delete-helm-records) only once every kc record is written.
 */
export async function adoptHelm(ctx: KcContext, options: AdoptHelmOptions): Promise<AdoptHelmResult> {
  checkReleaseName(options.release);
  const name = options.release;
  const unfenced = await ctx.connect({ kubeconfig: options.kubeconfig, context: options.context });
  try {
    const namespace = options.namespace ?? unfenced.namespace;
    const { lock, history } = await startOperation(unfenced, namespace, name, {
      waitForLockMs: options.waitForLockMs ?? 0,
      signal: options.signal,
    });
    const session = fenceSession(unfenced, lock);
    try {
      if (history.length > 0) {
        throw new KcError(
          'RELEASE_EXISTS',
          `kc release "${name}" already exists in namespace ${namespace} (revision ${history.at(-1)!.revision})`,
          {
            hint: `\`kc history ${name} -n ${namespace}\` shows it; uninstall it or adopt into another namespace`,
          },
        );
      }
      const helm = await readHelmHistory(session.client, namespace, name);
      refusePending(helm, name, namespace);
      const converted = helm.map((h) => convertRevision(h.release, `Secret ${namespace}/${h.name}`));
      const deployed = converted.filter((c) => c.status === 'deployed').at(-1);
      // Helm can leave more than one revision deployed (an interrupted upgrade): kc keeps only the newest one so.
      for (const c of converted) if (c.status === 'deployed' && c !== deployed) c.status = 'superseded';
      if (!deployed) {
        throw new KcError(
          'RELEASE_NOT_FOUND',
          `Helm release "${name}" has no deployed revision in namespace ${namespace}`,
          {
            hint: `\`helm history ${name} -n ${namespace}\` shows its revisions; deploy one, or install with kc`,
          },
        );
      }
      session.store.prepareWrite(namespace);
      const records = await Promise.all(converted.map((c) => toRecord(session, namespace, name, c)));
      const release = `${namespace}/${name}`;
      const how = { release, namespace, clock: session.clock, signal: options.signal };
      const adopted = await takeOwnership(session.client, deployed.objects, how);
      options.signal?.throwIfAborted();
      // The deployed revision last: an interrupted import never shows a deployed release missing older revisions.
      const ordered = [
        ...records.filter((r) => r.status !== 'deployed'),
        ...records.filter((r) => r.status === 'deployed'),
      ];
      const written: ReleaseRecord[] = [];
      try {
        for (const record of ordered) {
          await session.store.create(record);
          written.push(record);
        }
      } catch (err) {
        throw await afterFailure(err, 'remove the kc records written', async () => {
          for (const record of written) await session.store.remove(record);
        });
      }
      const deletedHelmRecords: string[] = [];
      if (options.deleteHelmRecords) {
        for (const h of helm) {
          const ref = { apiVersion: 'v1', kind: 'Secret', namespace, name: h.name };
          // Exactly the Secret read and imported: not one Helm wrote meanwhile under the same name.
          await session.client.delete(ref, { preconditions: { uid: h.uid, resourceVersion: h.resourceVersion } });
          deletedHelmRecords.push(h.name);
        }
      }
      const revisions = records.map((r) => ({
        revision: r.revision,
        status: r.status,
        chart: `${r.chart.name}-${r.chart.version}`,
      }));
      return { release: name, namespace, revisions, deployed: deployed.revision, adopted, deletedHelmRecords };
    } finally {
      await lock.release();
    }
  } finally {
    unfenced.close();
  }
}
