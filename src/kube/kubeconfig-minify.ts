// The one-context kubeconfig that kc hands to @kubernetes/client-node for exec plugins and auth providers: only the
// resolved context, cluster and user, with relative paths made absolute (kubectl resolves them against the file
// that defined the entry), so client-node never reads or merges kubeconfig files itself.
import path from 'node:path';
import type { ResolvedEntry, ResolvedKubeconfig } from './kubeconfig-resolve.js';

const CLUSTER_PATHS = ['certificate-authority'];
const USER_PATHS = ['client-certificate', 'client-key', 'tokenFile'];

/** The resolved selection as a kubeconfig object (YAML/JSON shape) with absolute file references. */
export function minifiedKubeconfig(resolved: ResolvedKubeconfig): Record<string, unknown> {
  const user = resolved.user && absolutePaths(resolved.user, USER_PATHS);
  const exec = user?.exec;
  if (exec && typeof exec === 'object' && !Array.isArray(exec)) {
    const command = (exec as Record<string, unknown>).command;
    // kubectl resolves an exec command only when it is a path, not a name looked up on $PATH.
    if (typeof command === 'string' && command.includes(path.sep) && !path.isAbsolute(command)) {
      user.exec = { ...exec, command: path.resolve(path.dirname(resolved.user!.source), command) };
    }
  }
  const context: Record<string, unknown> = { cluster: resolved.cluster.name, namespace: resolved.namespace };
  if (resolved.user) context.user = resolved.user.name;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: resolved.cluster.name, cluster: absolutePaths(resolved.cluster, CLUSTER_PATHS) }],
    users: resolved.user ? [{ name: resolved.user.name, user }] : [],
    contexts: [{ name: resolved.context, context }],
    'current-context': resolved.context,
  };
}

/** A copy of the entry's body with the listed file fields resolved against the defining file's directory. */
function absolutePaths(entry: ResolvedEntry, keys: string[]): Record<string, unknown> {
  const body = { ...entry.body };
  for (const key of keys) {
    const value = body[key];
    if (typeof value === 'string' && value) body[key] = path.resolve(path.dirname(entry.source), value);
  }
  return body;
}
