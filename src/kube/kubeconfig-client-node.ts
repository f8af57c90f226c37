// The only module that imports @kubernetes/client-node, loaded on first use: importing it costs ~0.5 s, which only
// exec plugins, auth providers and the like pay. client-node gets kc's resolved, minified kubeconfig (never files to
// merge), so the context, cluster and user are always the ones kubectl's rules pick.
import fs from 'node:fs';
import type https from 'node:https';
import { dynamicImport } from '../dynamic-import.js';
import type { ClusterConnection } from './kubeconfig.js';
import { noCurrentClusterError, unreadableKubeconfigError } from './kubeconfig-errors.js';
import { minifiedKubeconfig } from './kubeconfig-minify.js';
import { kubeconfigProxyUrl } from './kubeconfig-proxy.js';
import type { ResolvedKubeconfig } from './kubeconfig-resolve.js';

declare const __KC_CLIENT_NODE_CONFIG__: string | undefined;
// The built CLI has client-node's config module as a file of its own (scripts/build.mjs).
const CLIENT_NODE_CONFIG = typeof __KC_CLIENT_NODE_CONFIG__ === 'string'
  ? __KC_CLIENT_NODE_CONFIG__
  : '@kubernetes/client-node/dist/config.js';

type ClientNodeConfig = typeof import('@kubernetes/client-node/dist/config.js');

/** Whether kc runs in a pod with a service account, where client-node reads the in-cluster configuration. */
export function inCluster(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST) && fs.existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');
}

/** The connection for a resolved kubeconfig, with credentials from client-node (exec plugins, auth providers). */
export async function clientNodeConnection(resolved: ResolvedKubeconfig): Promise<ClusterConnection> {
  const { KubeConfig } = await dynamicImport<ClientNodeConfig>(CLIENT_NODE_CONFIG);
  const kc = new KubeConfig();
  const requestOptions: https.RequestOptions = {};
  try {
    kc.loadFromString(JSON.stringify(minifiedKubeconfig(resolved)));
    await kc.applyToHTTPSOptions(requestOptions);
  } catch (err) {
    // e.g. an http:// server without insecure-skip-tls-verify, or an exec plugin that fails.
    throw unreadableKubeconfigError(resolved.user?.source ?? resolved.cluster.source, err);
  }
  const proxyUrl = kubeconfigProxyUrl(resolved.cluster.body, resolved.cluster.name);
  return {
    ...(proxyUrl ? { proxyUrl } : {}),
    server: kc.getCurrentCluster()!.server.replace(/\/+$/, ''),
    context: resolved.context,
    namespace: resolved.namespace,
    requestOptions,
    user: resolved.user?.name,
  };
}

/** The connection of the pod kc runs in (its service account), when no kubeconfig file exists. */
export async function inClusterConnection(): Promise<ClusterConnection> {
  const { KubeConfig } = await dynamicImport<ClientNodeConfig>(CLIENT_NODE_CONFIG);
  const kc = new KubeConfig();
  const requestOptions: https.RequestOptions = {};
  try {
    kc.loadFromCluster();
    await kc.applyToHTTPSOptions(requestOptions);
  } catch (err) {
    throw unreadableKubeconfigError(undefined, err);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw noCurrentClusterError();
  const context = kc.getContextObject(kc.getCurrentContext());
  return {
    server: cluster.server.replace(/\/+$/, ''),
    context: kc.getCurrentContext(),
    namespace: context?.namespace ?? 'default',
    requestOptions,
    user: kc.getCurrentUser()?.name,
  };
}
