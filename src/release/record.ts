import type { KubeObject, ObjectRef } from '../kube/types.js';
import type { PathSegment } from '../values/index.js';

/** Lifecycle states of a release revision (Helm's, so users know them). */
export type ReleaseStatus =
  | 'pending-install'
  | 'pending-upgrade'
  | 'pending-rollback'
  | 'deployed'
  | 'superseded'
  | 'failed'
  | 'uninstalling'
  | 'uninstalled';

/** True for the states an operation passes through; never left behind by a finished operation. */
export function isPending(status: ReleaseStatus): boolean {
  return status.startsWith('pending') || status === 'uninstalling';
}

/** What a revision's index entry says without its payload: enough for history and list. */
export interface RevisionSummary {
  name: string;
  namespace: string;
  revision: number;
  status: ReleaseStatus;
  /** The chart; `source` and `digest` say which artifact a packaged chart was installed from. */
  chart: { name: string; version: string; appVersion?: string; source?: string; digest?: string };
  env?: string;
  /** The kc project that deployed it (project mode), so `kc deploy` can prune releases the app dropped. */
  project?: string;
  description: string;
  /** ISO time of the last status change. */
  updated: string;
  /** sha256 of manifest, values and chart: equal digests mean nothing to deploy. */
  digest: string;
  /**
   * The kinds of the objects the revision may own, kept outside the encrypted payload: with them kc finds a
   * release's objects even when its records cannot be decrypted. Absent in records written before.
   */
  kinds?: { apiVersion: string; kind: string }[];
  /** Who ran the operation (user@host); absent in records written before kc kept it in the index. */
  deployedBy?: string;
  /** Set by read commands on a pending revision whose process is gone (its lock expired or was removed). */
  interrupted?: Interruption;
}

/** How a pending revision was left: the process running it stopped (killed, crashed, cut off). */
export interface Interruption {
  /** When it was last known to be running: its lock's last renewal, else the revision's last update. */
  since: string;
  /** Who ran it: the lock's holder (user@host (pid N)), else the revision's deployedBy. */
  by?: string;
}

/** One revision of a release, in full. */
export interface ReleaseRecord extends RevisionSummary {
  /** Final values the chart was rendered with (secrets included: the payload is encrypted). */
  values: Record<string, unknown>;
  /** The values the user supplied (files and --set), reused by `upgrade --reuse-values`. */
  userValues: Record<string, unknown>;
  secretPaths: PathSegment[][];
  /** The objects the revision deploys, in install order; `kc get manifest` prints them as YAML. */
  objects: KubeObject[];
  /** Hook and test objects (not part of the manifest). */
  hookObjects: KubeObject[];
  /** Where each of `objects` was applied (same order). */
  inventory: ObjectRef[];
  /** Objects of earlier revisions that this one removes: pruned once it is applied, tracked until then. */
  stale?: ObjectRef[];
  notes?: string;
  firstDeployed: string;
  deployedBy: string;
}

/** The name of the record object of a revision (and prefix of its parts). */
export function recordName(release: string, revision: number): string {
  return `kc.release.v1.${release}.v${revision}`;
}
