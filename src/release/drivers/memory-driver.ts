import { KcError } from '../../errors/index.js';
import type { ReleaseDriver, SummaryFilter } from '../driver.js';
import type { ReleaseRecord, RevisionSummary } from '../record.js';

const key = (ns: string, name: string, rev: number) => `${ns}/${name}/${rev}`;

function summaryOf(r: ReleaseRecord): RevisionSummary {
  const { name, namespace, revision, status, chart, env, project, description, updated, digest, deployedBy } = r;
  return { name, namespace, revision, status, chart, env, project, description, updated, digest, deployedBy };
}

/** Keeps records in a Map: for unit and CLI tests. */
export class MemoryDriver implements ReleaseDriver {
  readonly records = new Map<string, ReleaseRecord>();

  async summaries(namespace: string | undefined, name?: string, filter?: SummaryFilter): Promise<RevisionSummary[]> {
    return [...this.records.values()]
      .filter((r) => (namespace === undefined || r.namespace === namespace) && (name === undefined || r.name === name))
      .filter((r) => !filter?.withoutSuperseded || r.status !== 'superseded')
      .map(summaryOf);
  }

  async read(namespace: string, name: string, revision: number): Promise<ReleaseRecord> {
    const r = this.records.get(key(namespace, name, revision));
    if (!r) throw new KcError('REVISION_NOT_FOUND', `release ${name} has no revision ${revision} in namespace ${namespace}`);
    return structuredClone(r);
  }

  async create(record: ReleaseRecord): Promise<void> {
    const k = key(record.namespace, record.name, record.revision);
    if (this.records.has(k)) throw new KcError('CONFLICT', `revision ${record.revision} of ${record.name} already exists`);
    this.records.set(k, structuredClone(record));
  }

  async setStatus(namespace: string, name: string, revision: number, status: ReleaseRecord['status'], description: string, updated: string): Promise<void> {
    const r = this.records.get(key(namespace, name, revision));
    if (!r) throw new KcError('REVISION_NOT_FOUND', `release ${name} has no revision ${revision}`);
    Object.assign(r, { status, description, updated });
  }

  async remove(namespace: string, name: string, revision: number): Promise<void> {
    this.records.delete(key(namespace, name, revision));
  }
}
