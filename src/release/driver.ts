import type { ReleaseRecord, ReleaseStatus, RevisionSummary } from './record.js';

/** Which index entries a read returns. */
export interface SummaryFilter {
  /**
   * Leave out superseded revisions: their number grows with every upgrade, and no operation decides from them (the
   * latest revision is never superseded, nor any deployed, failed, pending or uninstalled one).
   */
  withoutSuperseded?: boolean;
}

/** Where release records are kept: Secrets in the cluster, or memory in tests. */
export interface ReleaseDriver {
  /** Index entries of every revision of a release (or of all releases when name is omitted); no payloads. */
  summaries(namespace: string | undefined, name?: string, filter?: SummaryFilter): Promise<RevisionSummary[]>;
  /** One revision in full. */
  read(namespace: string, name: string, revision: number): Promise<ReleaseRecord>;
  /** Stores a new revision; fails if it exists. */
  create(record: ReleaseRecord): Promise<void>;
  /** Changes the status (and description) of a stored revision without rewriting its payload. */
  setStatus(namespace: string, name: string, revision: number, status: ReleaseStatus, description: string, updated: string): Promise<void>;
  /** Removes a revision. */
  remove(namespace: string, name: string, revision: number): Promise<void>;
  /** Optionally starts reading what records in the namespace need, writing nothing. */
  warm?(namespace: string): void;
  /** Optionally starts reading or creating what writing a record in the namespace needs. */
  prepareWrite?(namespace: string): void;

}

/** `driver` with `guard` run before each of its writes (an operation's writes, fenced by its release lock). */
export function guardDriver(driver: ReleaseDriver, guard: () => Promise<void>): ReleaseDriver {
  return {
    summaries: (namespace, name, filter) => driver.summaries(namespace, name, filter),
    read: (namespace, name, revision) => driver.read(namespace, name, revision),
    async create(record) {
      await guard();
      return driver.create(record);
    },
    async setStatus(namespace, name, revision, status, description, updated) {
      await guard();
      return driver.setStatus(namespace, name, revision, status, description, updated);
    },
    async remove(namespace, name, revision) {
      await guard();
      return driver.remove(namespace, name, revision);
    },
    warm: (namespace) => driver.warm?.(namespace),
    prepareWrite: (namespace) => driver.prepareWrite?.(namespace),
  };
}
