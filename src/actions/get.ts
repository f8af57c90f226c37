import type { KcContext } from '../context.js';
import { displayObject } from '../diff/index.js';
import type { KubeObject } from '../kube/types.js';
import type { ReleaseRecord } from '../release/index.js';
import { redactSecrets } from '../values/index.js';
import { manifestOf } from './release-operation.js';
import type { ClusterOptions } from './release-options.js';

/** Options of `kc get manifest|values|notes|hooks|metadata|all`. */
export interface GetOptions extends ClusterOptions {
  release: string;
  revision?: number;
  showSecrets?: boolean;
  /** values: the computed values rather than only the user-supplied ones. */
  all?: boolean;
}

/** Reads one revision (the latest by default). */
export async function getRecord(ctx: KcContext, options: GetOptions): Promise<ReleaseRecord> {
  const session = await ctx.connect(options);
  try {
    const namespace = options.namespace ?? session.namespace;
    const history = await session.store.requireHistory(namespace, options.release);
    const revision = options.revision ?? history.at(-1)!.revision;
    return await session.store.read(namespace, options.release, revision);
  } finally {
    session.close();
  }
}

/** The stored manifest; Secret values replaced by placeholders unless showSecrets. */
export function manifestText(record: ReleaseRecord, showSecrets: boolean): string {
  return displayManifest(record.objects, showSecrets);
}

/** Objects as YAML for the terminal (e.g. a dry run's): no managedFields, Secret values redacted unless showSecrets. */
export function displayManifest(objects: readonly KubeObject[], showSecrets: boolean): string {
  return manifestOf(objects.map((o) => displayObject(o, showSecrets)));
}

/** User-supplied (or with `all`, computed) values; secret fields redacted unless showSecrets. */
export function valuesOf(record: ReleaseRecord, options: { all?: boolean; showSecrets?: boolean }): Record<string, unknown> {
  const values = options.all ? record.values : record.userValues;
  return options.showSecrets ? values : redactSecrets(values, record.secretPaths);
}

/** A revision's hook and test objects as YAML (Secret values redacted unless showSecrets); empty when it has none. */
export function hooksText(record: ReleaseRecord, showSecrets: boolean): string {
  return record.hookObjects.length > 0 ? displayManifest(record.hookObjects, showSecrets) : '';
}

/** What `kc get metadata` shows of a revision: who deployed which chart, when, where. */
export interface ReleaseMetadata {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  chart: string;
  version: string;
  appVersion?: string;
  /** Where a packaged chart came from, and the digest it was installed from. */
  source?: string;
  chartDigest?: string;
  env?: string;
  project?: string;
  firstDeployed: string;
  updated: string;
  deployedBy: string;
  description: string;
  digest: string;
}

/** The metadata of a revision (no values, no objects). */
export function metadataOf(record: ReleaseRecord): ReleaseMetadata {
  const meta: ReleaseMetadata = {
    name: record.name,
    namespace: record.namespace,
    revision: record.revision,
    status: record.status,
    chart: record.chart.name,
    version: record.chart.version,
    firstDeployed: record.firstDeployed,
    updated: record.updated,
    deployedBy: record.deployedBy,
    description: record.description,
    digest: record.digest,
  };
  if (record.chart.appVersion) meta.appVersion = record.chart.appVersion;
  if (record.chart.source) meta.source = record.chart.source;
  if (record.chart.digest) meta.chartDigest = record.chart.digest;
  if (record.env) meta.env = record.env;
  if (record.project) meta.project = record.project;
  return meta;
}
