// One kubeconfig loader for every kubeconfig, with kubectl's rules (kubeconfig-merge.ts, kubeconfig-resolve.ts).
// Static credentials are applied by kubeconfig-file.ts; exec plugins and auth providers by client-node, loaded
// only then and given kc's resolved kubeconfig, so most commands never load client-node.
import type https from 'node:https';
import { KcError } from '../errors/index.js';
import { noKubeconfigError } from './kubeconfig-errors.js';
import { clientNodeConnection, inCluster, inClusterConnection } from './kubeconfig-client-node.js';
import { readKubeconfigFile } from './kubeconfig-file.js';

/** Where to find the cluster: a kubeconfig file and a context in it. */
export interface ClusterSelector {
  /** kubeconfig path; default $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  /** Context name; undefined or "current" uses the current context. */
  context?: string;
}

/** Everything needed to talk to one API server, resolved from a kubeconfig. */
export interface ClusterConnection {
  server: string;
  context: string;
  /** Default namespace: $KC_NAMESPACE, else the context's ("default" when unset). */
  namespace: string;
  /** TLS material and auth headers, as https.RequestOptions. */
  requestOptions: https.RequestOptions;
  user?: string;
  /** The cluster's proxy-url (credentials included: never print it); HTTPS_PROXY and NO_PROXY apply without it. */
  proxyUrl?: string;
}

/**
 * Loads the kubeconfig(s) and resolves the chosen context to a server URL and credentials; `env` has $KUBECONFIG,
 * and KC_KUBECONTEXT and KC_NAMESPACE (as Helm's HELM_KUBECONTEXT and HELM_NAMESPACE) stand in for the kubeconfig's
 * current context and the context's namespace. Flags and a project environment still win: they reach here as
 * `selector.context`, or replace the namespace returned.
 */
export async function loadClusterConnection(
  selector: ClusterSelector,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ClusterConnection> {
  // An empty variable is unset, as `KC_NAMESPACE= kc …` means in a shell.
  const context = selector.context ?? (env.KC_KUBECONTEXT || undefined);
  const namespace = env.KC_NAMESPACE;
  // It goes into request paths as -n does: checked as -n is (a DNS label), before any request.
  if (namespace && (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) || namespace.length > 63)) {
    throw new KcError('USAGE', `KC_NAMESPACE=${JSON.stringify(namespace)} is not a namespace name`, {
      hint: 'namespaces are DNS labels (lowercase letters, digits, "-"; at most 63 characters); or unset KC_NAMESPACE',
    });
  }
  const connection = await connect({ ...selector, context }, env);
  return namespace ? { ...connection, namespace } : connection;
}

async function connect(selector: ClusterSelector, env: NodeJS.ProcessEnv): Promise<ClusterConnection> {
  const fast = readKubeconfigFile(selector, env);
  if (!('unsupported' in fast)) return fast;
  if (fast.resolved) return clientNodeConnection(fast.resolved);
  // client-node would fall back to http://localhost:8080 and then refuse it with a message about TLS.
  if (!inCluster(env)) throw noKubeconfigError(env);
  return inClusterConnection();
}
