import { KcError } from '../errors/index.js';
import { guardDriver, type ReleaseDriver, type SummaryFilter } from './driver.js';
import { listsSuperseded, selectReleases, type ListQuery } from './list-query.js';
import type { ReleaseRecord, ReleaseStatus, RevisionSummary } from './record.js';

/** Release history operations over a driver: newest-first questions answered from the index alone. */
export class ReleaseStore {
  constructor(readonly driver: ReleaseDriver) {}

  /** This store with `guard` run before each record write: an operation's writes, fenced by its lock. */
  fenced(guard: () => Promise<void>): ReleaseStore {
    return new ReleaseStore(guardDriver(this.driver, guard));
  }

  /** Every revision of a release (or those `filter` keeps), oldest first. */
  async history(namespace: string, name: string, filter?: SummaryFilter): Promise<RevisionSummary[]> {
    return (await this.driver.summaries(namespace, name, filter)).sort((a, b) => a.revision - b.revision);
  }

  /** Every release's revisions (or those `filter` keeps) in a namespace, oldest first, by release name: one request. */
  async histories(namespace: string, filter?: SummaryFilter): Promise<Map<string, RevisionSummary[]>> {
    const byName = new Map<string, RevisionSummary[]>();
    for (const s of await this.driver.summaries(namespace, undefined, filter)) {
      if (s.namespace !== namespace) continue;
      const list = byName.get(s.name) ?? [];
      list.push(s);
      byName.set(s.name, list);
    }
    for (const list of byName.values()) list.sort((a, b) => a.revision - b.revision);
    return byName;
  }

  /** History, or RELEASE_NOT_FOUND when the release has none. */
  async requireHistory(namespace: string, name: string): Promise<RevisionSummary[]> {
    const history = await this.history(namespace, name);
    if (history.length === 0) {
      throw new KcError('RELEASE_NOT_FOUND', `release "${name}" not found in namespace ${namespace}`, {
        hint: 'check the name and --namespace; `kc list -A` shows every release',
      });
    }
    return history;
  }

  /**
   * The releases `query` selects (in one namespace, or all when undefined); by default the latest revision of every
   * release in any state, sorted by namespace and name.
   */
  async list(namespace: string | undefined, query: ListQuery = { all: true }): Promise<RevisionSummary[]> {
    // Superseded revisions (most of a long history) are read only to be listed themselves.
    const filter = listsSuperseded(query) ? undefined : { withoutSuperseded: true };
    return selectReleases(await this.driver.summaries(namespace, undefined, filter), query);
  }

  /** Starts reading what records in the namespace need (the record key), in the background; writes nothing. */
  warm(namespace: string): void {
    this.driver.warm?.(namespace);
  }

  /** Starts reading or creating the record key, in the background, for a record about to be written. */
  prepareWrite(namespace: string): void {
    this.driver.prepareWrite?.(namespace);
  }

  read(namespace: string, name: string, revision: number): Promise<ReleaseRecord> {
    return this.driver.read(namespace, name, revision);
  }

  create(record: ReleaseRecord): Promise<void> {
    return this.driver.create(record);
  }

  setStatus(s: { namespace: string; name: string; revision: number }, status: ReleaseStatus, description: string, updated: string): Promise<void> {
    return this.driver.setStatus(s.namespace, s.name, s.revision, status, description, updated);
  }

  /**
   * Deletes the oldest revisions beyond `max`, never the latest deployed one. `known`: how many revisions the caller
   * knows exist (it holds the release lock and has just read the history): when that is within `max`, nothing is read.
   */
  async trim(namespace: string, name: string, max: number, known?: number): Promise<number> {
    if (max <= 0 || (known !== undefined && known <= max)) return 0;
    const history = await this.history(namespace, name);
    const excess = history.slice(0, Math.max(0, history.length - max)).filter((s) => s.status !== 'deployed');
    for (const s of excess) await this.driver.remove(namespace, name, s.revision);
    return excess.length;
  }

  /** Deletes one revision. */
  remove(s: { namespace: string; name: string; revision: number }): Promise<void> {
    return this.driver.remove(s.namespace, s.name, s.revision);
  }

  /** Deletes every revision of a release. */
  async removeAll(namespace: string, name: string): Promise<void> {
    for (const s of await this.history(namespace, name)) await this.driver.remove(namespace, name, s.revision);
  }
}
