// The only module that imports @kubernetes/client-node: kubeconfig parsing and authentication. Common
// kubeconfigs are read by kubeconfig-file.ts instead, so most commands never load client-node.
import fs from 'node:fs';
import type https from 'node:https';
import { KcError } from '../errors/index.js';
import { dynamicImport } from '../dynamic-import.js';
import { missingKubeconfigError, noCurrentClusterError, noKubeconfigError, readKubeconfigFile, unknownContextError, unreadableKubeconfigError } from './kubeconfig-file.js';

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
  /** Default namespace of the context ("default" when unset). */
  namespace: string;
  /** TLS material and auth headers, as https.RequestOptions. */
  requestOptions: https.RequestOptions;
  user?: string;
}

declare const __KC_CLIENT_NODE_CONFIG__: string | undefined;
// The built CLI has client-node's config module as a file of its own (scripts/build.mjs).
const CLIENT_NODE_CONFIG = typeof __KC_CLIENT_NODE_CONFIG__ === 'string' ? __KC_CLIENT_NODE_CONFIG__ : '@kubernetes/client-node/dist/config.js';

/** Whether kc runs in a pod with a service account, where client-node reads the in-cluster configuration. */
function inCluster(): boolean {
  return Boolean(process.env.KUBERNETES_SERVICE_HOST) && fs.existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');
}

/** Loads a kubeconfig and resolves the chosen context to a server URL and credentials. */
export async function loadClusterConnection(selector: ClusterSelector): Promise<ClusterConnection> {
  const fast = readKubeconfigFile(selector);
  if (!('unsupported' in fast)) return fast;
  // client-node would fall back to http://localhost:8080 and then refuse it with a message about TLS.
  if (fast.noFile && !inCluster()) throw noKubeconfigError();
  // Loaded on first use: importing client-node costs ~0.5 s, which commands without a cluster never pay.
  const { KubeConfig } = await dynamicImport<typeof import('@kubernetes/client-node/dist/config.js')>(CLIENT_NODE_CONFIG);
  const kc = new KubeConfig();
  const file = selector.kubeconfig;
  try {
    if (file) {
      if (!fs.existsSync(file)) {
        throw missingKubeconfigError(file);
      }
      kc.loadFromFile(file);
    } else {
      kc.loadFromDefault();
    }
  } catch (err) {
    if (err instanceof KcError) throw err;
    throw unreadableKubeconfigError(file, err);
  }
  if (selector.context && selector.context !== 'current') {
    if (!kc.getContextObject(selector.context)) {
      throw unknownContextError(selector.context, kc.getContexts().map((c) => c.name));
    }
    kc.setCurrentContext(selector.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw noCurrentClusterError();
  }
  const requestOptions: https.RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(requestOptions);
  } catch (err) {
    // e.g. an http:// server without insecure-skip-tls-verify, or an exec plugin that fails.
    throw unreadableKubeconfigError(file, err);
  }
  const ctx = kc.getContextObject(kc.getCurrentContext());
  return {
    server: cluster.server.replace(/\/+$/, ''),
    context: kc.getCurrentContext(),
    namespace: ctx?.namespace ?? 'default',
    requestOptions,
    user: kc.getCurrentUser()?.name,
  };
}
