import type { KcContext } from '../context.js';
import { displayObject } from '../diff/index.js';
import type { KubeObject } from '../kube/types.js';
import type { ReleaseRecord } from '../release/index.js';
import { redactSecrets } from '../values/index.js';
import { manifestOf } from './release-operation.js';
import type { ClusterOptions } from './release-options.js';

/** Options of `kc get manifest|values|notes`. */
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
