import crypto from 'node:crypto';
import { KcError } from '../../errors/index.js';
import type { KubeClient, KubeObject } from '../../kube/types.js';
import { decodePayload, encodePayload } from '../codec.js';
import type { ReleaseDriver, SummaryFilter } from '../driver.js';
import { recordName, type ReleaseRecord, type ReleaseStatus, type RevisionSummary } from '../record.js';

/** Secret type of release records (so `kubectl get secrets --field-selector type=...` finds them). */
export const RECORD_TYPE = 'kc.dev/release.v1';
/** Name of the Secret holding a namespace's record key. */
export const KEY_SECRET = 'kc.release-key';

const LABEL_RELEASE = 'kc.dev/release';
const LABEL_PART = 'kc.dev/part';
const LABEL_STATUS = 'kc.dev/status';

/** A read of a namespace's key Secret and, when it is missing, of how many record heads are there. */
interface KeyLookup {
  key?: KubeObject;
  heads?: Promise<number>;
}

type SummaryFields = Pick<RevisionSummary, 'chart' | 'env' | 'digest' | 'project' | 'deployedBy' | 'kinds'>;

function secretRef(namespace: string, name: string) {
  return { apiVersion: 'v1', kind: 'Secret', namespace, name };
}

function summaryOf(secret: KubeObject): RevisionSummary {
  const meta = secret.metadata as {
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  const fields = JSON.parse(meta.annotations['kc.dev/summary'] ?? '{}') as SummaryFields;
  return {
    name: meta.labels[LABEL_RELEASE],
    namespace: meta.namespace,
    revision: Number(meta.labels['kc.dev/revision']),
    status: meta.labels[LABEL_STATUS] as ReleaseStatus,
    description: meta.annotations['kc.dev/description'] ?? '',
    updated: meta.annotations['kc.dev/updated'] ?? '',
    ...fields,
  };
}

function keyMissing(namespace: string, records: number): KcError {
  return new KcError(
    'RECORD_KEY_MISSING',
    `the record key Secret ${KEY_SECRET} of namespace ${namespace} is gone, but ${records} release record(s) there were encrypted with it`,
    {
      hint: `restore Secret ${KEY_SECRET} from a backup; without it \`kc history\` still lists revisions and \`kc uninstall RELEASE\` still removes a release (found by its objects' annotation)`,
    },
  );
}

/** The kinds a record may own (its inventory and stale objects), sorted, for the index. */
function kindsOf(record: ReleaseRecord): { apiVersion: string; kind: string }[] {
  const all = [...record.inventory, ...(record.stale ?? [])].map((r) => `${r.apiVersion} ${r.kind}`);
  return [...new Set(all)].sort().map((k) => {
    const [apiVersion, kind] = k.split(' ');
    return { apiVersion, kind };
  });
}

/**
 * Stores each revision as Secrets of type kc.dev/release.v1: a head holding the index fields in labels and
 * annotations plus the first payload part, and further parts as needed, so a release has no 1 MiB cap.
 */
export class SecretDriver implements ReleaseDriver {
  private readonly keys = new Map<string, Promise<Buffer>>();
  /**
   * Reads of a namespace's key Secret started by warm(), used by the next key() of that namespace; when the key is
   * missing, the count of record heads there is read at once too (a new key needs it to be zero).
   */
  private readonly lookups = new Map<string, Promise<KeyLookup>>();
  /**
   * The resourceVersion of each record head as this process last saw it: status changes and deletes are
   * conditional on it, so a record another process changed meanwhile is never overwritten.
   */
  private readonly versions = new Map<string, string>();

  constructor(private readonly client: KubeClient) {}

  private seen(secret: KubeObject): void {
    const meta = secret.metadata ?? {};
    if (meta.resourceVersion) this.versions.set(`${meta.namespace}/${meta.name}`, String(meta.resourceVersion));
  }

  private changedMeanwhile(name: string, revision: number): KcError {
    return new KcError(
      'CONFLICT',
      `revision ${revision} of release "${name}" was changed by another process while this one ran`,
      {
        hint: `another operation took the release over; see \`kc history ${name}\` and run this one again if still needed`,
      },
    );
  }

  /** The namespace's record key, created on first use. */
  private key(namespace: string): Promise<Buffer> {
    let k = this.keys.get(namespace);
    if (!k) {
      k = this.loadKey(namespace);
      k.catch(() => this.keys.delete(namespace));
      this.keys.set(namespace, k);
    }
    return k;
  }

  /** How many record heads the namespace has (metadata only). */
  private async headCount(namespace: string): Promise<number> {
    const heads = await this.client.list('v1', 'Secret', {
      namespace,
      labelSelector: `${LABEL_PART}=head`,
      metadataOnly: true,
    });
    return heads.length;
  }

  private async loadKey(namespace: string): Promise<Buffer> {
    const warmed = this.lookups.get(namespace);
    this.lookups.delete(namespace);
    const lookup: KeyLookup = await (warmed ??
      this.client.get(secretRef(namespace, KEY_SECRET)).then((key) => ({ key })));
    const { key: existing, heads } = lookup;
    const read = (s: KubeObject) => Buffer.from(String((s.data as Record<string, string>).key), 'base64');
    if (existing) return read(existing);
    // A new key over records encrypted with a lost one would make them all unreadable for good. The count may come
    // from warm(), read while the chart rendered: another kc writing a first record meanwhile creates the key first,
    // so ours fails with ALREADY_EXISTS and theirs is used.
    const count = await (heads ?? this.headCount(namespace));
    if (count > 0) throw keyMissing(namespace, count);
    const key = crypto.randomBytes(32);
    try {
      await this.client.create({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kc.dev/key',
        metadata: { name: KEY_SECRET, namespace, labels: { 'app.kubernetes.io/managed-by': 'kc' } },
        data: { key: key.toString('base64') },
      });
      return key;
    } catch (err) {
      if (!(err instanceof KcError && err.code === 'ALREADY_EXISTS')) throw err;
    }
    // Another kc created the key at the same moment: use the one that won.
    return read((await this.client.get(secretRef(namespace, KEY_SECRET)))!);
  }

  /** Starts reading the namespace's record key; a missing one is created only when a record is written. */
  warm(namespace: string): void {
    if (this.keys.has(namespace) || this.lookups.has(namespace)) return;
    const lookup = this.client.get(secretRef(namespace, KEY_SECRET)).then((key): KeyLookup => {
      if (key) return { key };
      const heads = this.headCount(namespace);
      heads.catch(() => undefined); // met again, and reported, when the key is created
      return { heads };
    });
    lookup.catch(() => this.lookups.delete(namespace)); // met again, and reported, when the key is used
    this.lookups.set(namespace, lookup);
  }

  /** Starts reading or creating the namespace's record key, for a record about to be written. */
  prepareWrite(namespace: string): void {
    this.key(namespace).catch(() => undefined); // a failure is forgotten by key() and met again when the key is used
  }

  async summaries(namespace: string | undefined, name?: string, filter?: SummaryFilter): Promise<RevisionSummary[]> {
    const selector = [`${LABEL_PART}=head`, name ? `${LABEL_RELEASE}=${name}` : LABEL_RELEASE];
    // Filtered by the API server: a release keeping every revision does not send them all on each upgrade.
    if (filter?.withoutSuperseded) selector.push(`${LABEL_STATUS}!=superseded`);
    const heads = await this.client.list('v1', 'Secret', {
      namespace,
      labelSelector: selector.join(','),
      metadataOnly: true,
    });
    for (const head of heads) this.seen(head);
    return heads.map(summaryOf);
  }

  async read(namespace: string, name: string, revision: number): Promise<ReleaseRecord> {
    const head = await this.client.get(secretRef(namespace, recordName(name, revision)));
    if (!head)
      throw new KcError('REVISION_NOT_FOUND', `release ${name} has no revision ${revision} in namespace ${namespace}`, {
        hint: `see \`kc history ${name} -n ${namespace}\``,
      });
    const count = Number((head.metadata?.annotations as Record<string, string>)['kc.dev/parts'] ?? '1');
    const rest = await Promise.all(
      Array.from({ length: count - 1 }, (_, i) =>
        this.client.get(secretRef(namespace, `${recordName(name, revision)}.p${i + 1}`)),
      ),
    );
    const parts = [head, ...rest].map((s, i) => {
      if (!s)
        throw new KcError('RECORD_CORRUPT', `part ${i} of revision ${revision} of ${name} is missing`, {
          hint: 'roll back to another revision',
        });
      return Buffer.from(String((s.data as Record<string, string>).payload), 'base64');
    });
    const record = decodePayload(parts, await this.key(namespace), `${name} v${revision}`);
    return { ...record, ...summaryOf(head) };
  }

  async create(record: ReleaseRecord): Promise<void> {
    const parts = encodePayload(record, await this.key(record.namespace));
    const base = recordName(record.name, record.revision);
    const labels = (part: string) => ({
      'app.kubernetes.io/managed-by': 'kc',
      [LABEL_RELEASE]: record.name,
      'kc.dev/revision': String(record.revision),
      [LABEL_STATUS]: record.status,
      [LABEL_PART]: part,
    });
    const secret = (name: string, part: string, payload: Buffer, annotations?: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      type: RECORD_TYPE,
      metadata: { name, namespace: record.namespace, labels: labels(part), ...(annotations ? { annotations } : {}) },
      data: { payload: payload.toString('base64') },
    });
    // Parts first, head last: a head only ever exists with all its parts.
    await Promise.all(parts.slice(1).map((p, i) => this.client.create(secret(`${base}.p${i + 1}`, String(i + 1), p))));
    const summary: SummaryFields = {
      chart: record.chart,
      env: record.env,
      digest: record.digest,
      project: record.project,
      deployedBy: record.deployedBy,
      kinds: kindsOf(record),
    };
    const head = await this.client.create(
      secret(base, 'head', parts[0], {
        'kc.dev/summary': JSON.stringify(summary),
        'kc.dev/description': record.description,
        'kc.dev/updated': record.updated,
        'kc.dev/parts': String(parts.length),
      }),
    );
    this.seen({ ...head, metadata: { namespace: record.namespace, name: base, ...head.metadata } });
  }

  async setStatus(
    namespace: string,
    name: string,
    revision: number,
    status: ReleaseStatus,
    description: string,
    updated: string,
  ): Promise<void> {
    const head = recordName(name, revision);
    const resourceVersion = this.versions.get(`${namespace}/${head}`);
    try {
      const patched = await this.client.mergePatch(secretRef(namespace, head), {
        metadata: {
          ...(resourceVersion ? { resourceVersion } : {}),
          labels: { [LABEL_STATUS]: status },
          annotations: { 'kc.dev/description': description, 'kc.dev/updated': updated },
        },
      });
      this.seen({ ...patched, metadata: { namespace, name: head, ...patched.metadata } });
    } catch (err) {
      if (err instanceof KcError && err.code === 'CONFLICT') throw this.changedMeanwhile(name, revision);
      throw err;
    }
  }

  async remove(namespace: string, name: string, revision: number): Promise<void> {
    const head = await this.client.get(secretRef(namespace, recordName(name, revision)));
    if (!head) return;
    const count = Number((head.metadata?.annotations as Record<string, string>)['kc.dev/parts'] ?? '1');
    const key = `${namespace}/${recordName(name, revision)}`;
    const resourceVersion = this.versions.get(key) ?? String(head.metadata?.resourceVersion ?? '');
    try {
      await this.client.delete(
        secretRef(namespace, recordName(name, revision)),
        resourceVersion ? { preconditions: { resourceVersion } } : {},
      );
    } catch (err) {
      if (err instanceof KcError && err.code === 'CONFLICT') throw this.changedMeanwhile(name, revision);
      throw err;
    }
    this.versions.delete(key);
    await Promise.all(
      Array.from({ length: count - 1 }, (_, i) =>
        this.client.delete(secretRef(namespace, `${recordName(name, revision)}.p${i + 1}`)),
      ),
    );
  }
}
