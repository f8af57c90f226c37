// Picks the context, cluster and user a merged kubeconfig selects, as kubectl does: --context, else the
// current-context; a context's missing or unnamed user means no credentials (kubectl connects anonymously then).
import { noCurrentClusterError, unknownContextError, unreadableKubeconfigError } from './kubeconfig-errors.js';
import type { KubeconfigEntry, MergedKubeconfig } from './kubeconfig-merge.js';

type Body = Record<string, unknown>;

/** A cluster or user entry whose body is a mapping. */
export interface ResolvedEntry extends KubeconfigEntry {
  body: Body;
}

/** What one context of a merged kubeconfig selects. */
export interface ResolvedKubeconfig {
  context: string;
  /** The context's namespace ("default" when unset); -n overrides it in the commands. */
  namespace: string;
  cluster: ResolvedEntry;
  /** Undefined when the context names no user or an undefined one: no credentials are sent. */
  user?: ResolvedEntry;
}

/** How a kubeconfig user authenticates, by the first of its credential fields present. */
export type AuthKind = 'exec' | 'auth-provider' | 'client-certificate' | 'token' | 'basic' | 'none';

/** Resolves `context` (undefined or "current": the current-context) against the merged kubeconfig. */
export function resolveKubeconfig(merged: MergedKubeconfig, context: string | undefined): ResolvedKubeconfig {
  const wanted = context && context !== 'current' ? context : undefined;
  if (wanted !== undefined && !merged.contexts.has(wanted)) {
    throw unknownContextError(wanted, [...merged.contexts.keys()]);
  }
  const name = wanted ?? merged.currentContext;
  const entry = name === undefined ? undefined : merged.contexts.get(name);
  if (name === undefined || !entry) throw noCurrentClusterError();
  const body = mapping(entry, `context "${name}"`);
  const clusterName = text(body, 'cluster', entry, `context "${name}"`);
  const cluster = clusterName === undefined ? undefined : merged.clusters.get(clusterName);
  if (!cluster) throw noCurrentClusterError();
  const userName = text(body, 'user', entry, `context "${name}"`);
  const user = userName === undefined ? undefined : merged.users.get(userName);
  return {
    context: name,
    namespace: text(body, 'namespace', entry, `context "${name}"`) ?? 'default',
    cluster: { ...cluster, body: mapping(cluster, `cluster "${cluster.name}"`) },
    user: user && { ...user, body: mapping(user, `user "${user.name}"`, true) },
  };
}

/** The kind of credentials a user body holds. */
export function authKind(user: Body | undefined): AuthKind {
  const has = (key: string) => user?.[key] !== undefined && user[key] !== null && user[key] !== '';
  if (has('exec')) return 'exec';
  if (has('auth-provider')) return 'auth-provider';
  if (has('client-certificate') || has('client-certificate-data')) return 'client-certificate';
  if (has('token') || has('tokenFile')) return 'token';
  if (has('username') || has('password')) return 'basic';
  return 'none';
}

/** The entry's body; a user's may be empty (null), meaning no credentials. */
function mapping(entry: KubeconfigEntry, what: string, emptyOk = false): Body {
  if ((entry.body === null || entry.body === undefined) && emptyOk) return {};
  if (typeof entry.body !== 'object' || entry.body === null || Array.isArray(entry.body)) {
    throw unreadableKubeconfigError(entry.source, new Error(`${what} has no body`));
  }
  return entry.body as Body;
}

/** A string field of a context; null and "" count as unset. */
function text(body: Body, key: string, entry: KubeconfigEntry, what: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw unreadableKubeconfigError(entry.source, new Error(`${what}: ${key} is not a string`));
  }
  return value;
}
