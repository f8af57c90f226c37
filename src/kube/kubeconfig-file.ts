// Turns a resolved kubeconfig into a ClusterConnection without @kubernetes/client-node, whose chunk costs tens of
// milliseconds to load. Only the common static shapes are handled; anything else (exec plugins, auth providers,
// proxies, impersonation) is reported as unsupported, with the resolution, so that the caller hands kc's resolved
// kubeconfig to client-node. The requestOptions built here mirror client-node's applyToHTTPSOptions field for field.
import fs from 'node:fs';
import type https from 'node:https';
import path from 'node:path';
import { KcError } from '../errors/index.js';
import type { ClusterConnection, ClusterSelector } from './kubeconfig.js';
import { kubeconfigProxyUrl } from './kubeconfig-proxy.js';
import { loadMergedKubeconfig } from './kubeconfig-merge.js';
import { resolveKubeconfig, type ResolvedEntry, type ResolvedKubeconfig } from './kubeconfig-resolve.js';

/** The static path declined the kubeconfig; `reason` says which part it does not handle. */
export interface Unsupported {
  unsupported: string;
  /** No kubeconfig file exists at all: only an in-cluster configuration can still apply. */
  noFile?: boolean;
  /** kc's resolution of the kubeconfig (kubectl's rules), for client-node to authenticate with. */
  resolved?: ResolvedKubeconfig;
}

type Body = Record<string, unknown>;
type Entry = ResolvedEntry;

// Keys that do not change how kc connects; any other key sends the kubeconfig to client-node.
const CLUSTER_KEYS = new Set([
  'server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name',
  'extensions', 'disable-compression', 'proxy-url',
]);
const USER_KEYS = new Set([
  'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'username',
  'password', 'extensions',
]);

/** Thrown inside this module only, to unwind to staticConnection's catch. */
class Decline {
  constructor(readonly reason: string) {}
}

/** Resolves the selector with kubectl's merge rules, then builds the connection or declines with a reason. */
export function readKubeconfigFile(
  selector: ClusterSelector,
  env?: NodeJS.ProcessEnv,
): ClusterConnection | Unsupported {
  const merged = loadMergedKubeconfig(selector.kubeconfig, env);
  if (merged.files.length === 0) return { unsupported: 'no kubeconfig file (in-cluster or default)', noFile: true };
  return staticConnection(resolveKubeconfig(merged, selector.context));
}

/** The connection for a resolved kubeconfig whose user and cluster use only static fields, else why not. */
export function staticConnection(resolved: ResolvedKubeconfig): ClusterConnection | Unsupported {
  try {
    const requestOptions: https.RequestOptions = {};
    const server = applyCluster(resolved.cluster, requestOptions);
    // No user (or an undefined one): kubectl sends no credentials; the cluster's TLS settings still apply.
    if (resolved.user) applyUser(resolved.user, requestOptions);
    else requestOptions.headers = {};
    const { context, namespace } = resolved;
    const proxyUrl = kubeconfigProxyUrl(resolved.cluster.body, resolved.cluster.name);
    const user = resolved.user?.name;
    return { server, context, namespace, requestOptions, user, ...(proxyUrl ? { proxyUrl } : {}) };
  } catch (err) {
    if (err instanceof Decline) return { unsupported: err.reason, resolved };
    throw err;
  }
}

/** Sets the TLS options of the cluster entry and returns its server URL without trailing slashes. */
function applyCluster(entry: Entry, opts: https.RequestOptions): string {
  const what = `cluster "${entry.name}"`;
  const cluster = section(entry, CLUSTER_KEYS, what);
  const server = optionalString(cluster, 'server', what);
  const insecure = cluster['insecure-skip-tls-verify'] ?? false;
  if (typeof insecure !== 'boolean') throw new Decline(`${what}: insecure-skip-tls-verify is not a boolean`);
  // client-node refuses plain http unless TLS verification is off; keep that decision (and its error) there.
  if (!server || !(server.startsWith('https://') || (insecure && server.startsWith('http://')))) {
    throw new Decline(`${what}: server ${server ?? '(none)'} is not handled`);
  }
  if (insecure) opts.rejectUnauthorized = false;
  const serverName = optionalString(cluster, 'tls-server-name', what);
  if (serverName) opts.servername = serverName;
  const ca = material(entry, cluster, 'certificate-authority', what);
  if (ca) opts.ca = ca;
  return server.replace(/\/+$/, '');
}

/** Sets client certificate, bearer token and basic auth of the user entry. */
function applyUser(entry: Entry, opts: https.RequestOptions): void {
  const what = `user "${entry.name}"`;
  const user = section(entry, USER_KEYS, what);
  const cert = material(entry, user, 'client-certificate', what);
  if (cert) opts.cert = cert;
  const key = material(entry, user, 'client-key', what);
  if (key) opts.key = key;
  const headers: Record<string, string> = {};
  opts.headers = headers;
  // An inline token wins over tokenFile, as in client-node (which ignores tokenFile altogether).
  const tokenFile = optionalString(user, 'tokenFile', what);
  const fromFile = () => readReferenced(entry, tokenFile!, 'tokenFile', what).toString('utf8').trim();
  const token = optionalString(user, 'token', what) ?? (tokenFile ? fromFile() : undefined);
  if (token) headers.Authorization = `Bearer ${token}`;
  const username = optionalString(user, 'username', what);
  const password = optionalString(user, 'password', what);
  if (username === undefined && password === undefined) return;
  // client-node would send "user:undefined" or drop a lone password; neither is worth copying.
  if (username === undefined || password === undefined) {
    throw new Decline(`${what}: username and password must both be set`);
  }
  opts.auth = `${username}:${password}`;
}

/** The entry body, checked to use only keys this module understands. */
function section(entry: Entry, allowed: Set<string>, what: string): Body {
  const unknown = Object.keys(entry.body).filter((k) => !allowed.has(k));
  if (unknown.length > 0) throw new Decline(`${what} uses ${unknown.join(', ')}`);
  return entry.body;
}

/** A string field; null and "" count as unset, like client-node's truthiness checks. */
function optionalString(body: Body, key: string, what: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Decline(`${what}: ${key} is not a string`);
  return value;
}

/** PEM material from `<key>` (a file, preferred as in client-node) or `<key>-data` (base64). */
function material(entry: Entry, body: Body, key: string, what: string): Buffer | undefined {
  const file = optionalString(body, key, what);
  if (file) return readReferenced(entry, file, key, what);
  const data = optionalString(body, `${key}-data`, what);
  return data ? Buffer.from(data, 'base64') : undefined;
}

/** Reads a file named in the kubeconfig; relative paths resolve against the defining file's directory (as kubectl). */
function readReferenced(entry: Entry, file: string, key: string, what: string): Buffer {
  const absolute = path.resolve(path.dirname(entry.source), file);
  try {
    return fs.readFileSync(absolute);
  } catch (err) {
    const reason = `${what} in kubeconfig ${entry.source}: ${(err as Error).message}`;
    throw new KcError('KUBECONFIG_INVALID', `cannot read ${key} ${absolute} of ${reason}`, {
      hint: 'fix the path in the kubeconfig (relative paths are relative to the kubeconfig) or make it readable',
      cause: err,
    });
  }
}
