// Reads a kubeconfig into a ClusterConnection without @kubernetes/client-node, whose chunk costs tens of
// milliseconds to load. Only the common static shapes are handled; anything else (exec plugins,
// auth providers, proxies, impersonation, in-cluster) is reported as unsupported so the caller can fall
// back to client-node. The requestOptions built here mirror client-node's applyToHTTPSOptions field for field.
import fs from 'node:fs';
import type https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { KcError } from '../errors/index.js';
import type { ClusterConnection, ClusterSelector } from './kubeconfig.js';

/** The fast path declined the kubeconfig; `reason` says which part it does not handle. */
export interface Unsupported {
  unsupported: string;
  /** No kubeconfig file exists at all: only an in-cluster configuration can still apply. */
  noFile?: boolean;
}

type Body = Record<string, unknown>;

/** One named cluster, user or context, with the kubeconfig file that defined it. */
interface Entry {
  body: unknown;
  source: string;
}

interface Merged {
  clusters: Map<string, Entry>;
  users: Map<string, Entry>;
  contexts: Map<string, Entry>;
  current?: string;
}

// Keys that do not change how kc connects; any other key sends the kubeconfig to client-node.
const CLUSTER_KEYS = new Set(['server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name', 'extensions', 'disable-compression']);
const USER_KEYS = new Set(['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'username', 'password', 'extensions']);
const CONTEXT_KEYS = new Set(['cluster', 'user', 'namespace', 'extensions']);

/** Thrown inside this module only, to unwind to readKubeconfigFile's catch. */
class Decline {
  constructor(readonly reason: string) {}
}

/** The error for a --kubeconfig path that does not exist. */
export function missingKubeconfigError(file: string): KcError {
  return new KcError('KUBECONFIG_INVALID', `kubeconfig ${file} does not exist`, { hint: 'pass an existing file with --kubeconfig or set KUBECONFIG' });
}

/** The error for a kubeconfig that cannot be read or parsed; `file` is undefined when the default lookup failed. */
export function unreadableKubeconfigError(file: string | undefined, err: unknown): KcError {
  // YAML parse errors carry a multi-line code frame; KcError messages are one line.
  const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
  return new KcError('KUBECONFIG_INVALID', `cannot read kubeconfig${file ? ` ${file}` : ''}: ${reason}`, {
    hint: 'check the file with `kubectl config view`',
  });
}

/** The error for a --context that the kubeconfig does not define. */
export function unknownContextError(context: string, known: string[]): KcError {
  return new KcError('KUBECONFIG_INVALID', `context "${context}" is not in the kubeconfig`, {
    hint: `known contexts: ${known.join(', ') || '(none)'}`,
  });
}

/** The error for no kubeconfig anywhere (and not running in a pod). */
export function noKubeconfigError(): KcError {
  const env = process.env.KUBECONFIG;
  const where = env ? `KUBECONFIG (${env}) names no existing file` : 'KUBECONFIG is unset and ~/.kube/config does not exist';
  return new KcError('KUBECONFIG_INVALID', `no kubeconfig found: ${where}`, {
    hint: 'pass --kubeconfig FILE, or set KUBECONFIG to the kubeconfig of your cluster',
  });
}

/** The error for a kubeconfig whose chosen context names no existing cluster. */
export function noCurrentClusterError(): KcError {
  return new KcError('KUBECONFIG_INVALID', 'the kubeconfig has no current cluster', {
    hint: 'pass --kubeconfig and --context, or set a current context with `kubectl config use-context`',
  });
}

/** Resolves the selector against the kubeconfig file(s) with kubectl's merge rules, or declines with a reason. */
export function readKubeconfigFile(selector: ClusterSelector): ClusterConnection | Unsupported {
  try {
    const files = kubeconfigFiles(selector);
    if (files.length === 0) return { unsupported: 'no kubeconfig file (in-cluster or built-in default)', noFile: true };
    return resolve(merge(files), selector);
  } catch (err) {
    if (err instanceof Decline) return { unsupported: err.reason };
    throw err;
  }
}

/** The files to read, in precedence order: --kubeconfig, else the existing entries of $KUBECONFIG, else ~/.kube/config. */
function kubeconfigFiles(selector: ClusterSelector): string[] {
  if (selector.kubeconfig) {
    if (!fs.existsSync(selector.kubeconfig)) throw missingKubeconfigError(selector.kubeconfig);
    return [selector.kubeconfig];
  }
  const env = process.env.KUBECONFIG;
  // kubectl skips missing entries of $KUBECONFIG, so a list naming optional files still works.
  if (env) return env.split(path.delimiter).filter((f) => f && fs.existsSync(f));
  const home = path.join(os.homedir(), '.kube', 'config');
  return fs.existsSync(home) ? [home] : [];
}

/** Reads every file; for each name the first file defining it wins, as does the first current-context. */
function merge(files: string[]): Merged {
  const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) {
    const doc = readDocument(file);
    collect(merged.clusters, doc.clusters, 'cluster', file);
    collect(merged.users, doc.users, 'user', file);
    collect(merged.contexts, doc.contexts, 'context', file);
    const current = doc['current-context'];
    if (current !== undefined && current !== null && typeof current !== 'string') throw new Decline(`${file}: current-context is not a string`);
    if (merged.current === undefined && current) merged.current = current;
  }
  return merged;
}

function readDocument(file: string): Body {
  let doc: unknown;
  try {
    // logLevel 'error': parse errors throw, warnings are not printed.
    doc = parse(fs.readFileSync(file, 'utf8'), { logLevel: 'error' });
  } catch (err) {
    throw unreadableKubeconfigError(file, err);
  }
  if (!isBody(doc)) throw new Decline(`${file} is not a YAML mapping`);
  return doc;
}

function collect(into: Map<string, Entry>, list: unknown, key: string, source: string): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw new Decline(`${source}: ${key}s is not a list`);
  for (const item of list) {
    if (!isBody(item) || typeof item.name !== 'string' || !item.name) throw new Decline(`${source}: a ${key} entry has no name`);
    if (!into.has(item.name)) into.set(item.name, { body: item[key], source });
  }
}

function resolve(merged: Merged, selector: ClusterSelector): ClusterConnection {
  const wanted = selector.context && selector.context !== 'current' ? selector.context : undefined;
  if (wanted !== undefined && !merged.contexts.has(wanted)) throw unknownContextError(wanted, [...merged.contexts.keys()]);
  const contextName = wanted ?? merged.current;
  const contextEntry = contextName === undefined ? undefined : merged.contexts.get(contextName);
  if (contextName === undefined || !contextEntry) throw noCurrentClusterError();
  const context = section(contextEntry, CONTEXT_KEYS, `context "${contextName}"`, false);
  const clusterName = optionalString(context, 'cluster', `context "${contextName}"`);
  if (!clusterName) throw new Decline(`context "${contextName}" names no cluster`);
  const userName = optionalString(context, 'user', `context "${contextName}"`);
  // client-node applies no TLS settings at all to a context without a user; leave that quirk to it.
  if (!userName) throw new Decline(`context "${contextName}" names no user`);
  const clusterEntry = merged.clusters.get(clusterName);
  if (!clusterEntry) throw noCurrentClusterError();
  const userEntry = merged.users.get(userName);
  if (!userEntry) throw new Decline(`user "${userName}" is not in the kubeconfig`);

  const requestOptions: https.RequestOptions = {};
  const server = applyCluster(clusterEntry, clusterName, requestOptions);
  applyUser(userEntry, userName, requestOptions);
  return {
    server,
    context: contextName,
    namespace: optionalString(context, 'namespace', `context "${contextName}"`) ?? 'default',
    requestOptions,
    user: userName,
  };
}

/** Sets the TLS options of the cluster entry and returns its server URL without trailing slashes. */
function applyCluster(entry: Entry, name: string, opts: https.RequestOptions): string {
  const what = `cluster "${name}"`;
  const cluster = section(entry, CLUSTER_KEYS, what, false);
  const server = optionalString(cluster, 'server', what);
  const insecure = cluster['insecure-skip-tls-verify'] ?? false;
  if (typeof insecure !== 'boolean') throw new Decline(`${what}: insecure-skip-tls-verify is not a boolean`);
  // client-node refuses plain http unless TLS verification is off; keep that decision (and its error) there.
  if (!server || !(server.startsWith('https://') || (insecure && server.startsWith('http://')))) throw new Decline(`${what}: server ${server ?? '(none)'} is not handled`);
  if (insecure) opts.rejectUnauthorized = false;
  const serverName = optionalString(cluster, 'tls-server-name', what);
  if (serverName) opts.servername = serverName;
  const ca = material(entry, cluster, 'certificate-authority', what);
  if (ca) opts.ca = ca;
  return server.replace(/\/+$/, '');
}

/** Sets client certificate, bearer token and basic auth of the user entry. */
function applyUser(entry: Entry, name: string, opts: https.RequestOptions): void {
  const what = `user "${name}"`;
  const user = section(entry, USER_KEYS, what, true);
  const cert = material(entry, user, 'client-certificate', what);
  if (cert) opts.cert = cert;
  const key = material(entry, user, 'client-key', what);
  if (key) opts.key = key;
  const headers: Record<string, string> = {};
  opts.headers = headers;
  // An inline token wins over tokenFile, as in client-node (which ignores tokenFile altogether).
  const tokenFile = optionalString(user, 'tokenFile', what);
  const token = optionalString(user, 'token', what) ?? (tokenFile ? readReferenced(entry, tokenFile, 'tokenFile', what).toString('utf8').trim() : undefined);
  if (token) headers.Authorization = `Bearer ${token}`;
  const username = optionalString(user, 'username', what);
  const password = optionalString(user, 'password', what);
  if (username === undefined && password === undefined) return;
  // client-node would send "user:undefined" or drop a lone password; neither is worth copying.
  if (username === undefined || password === undefined) throw new Decline(`${what}: username and password must both be set`);
  opts.auth = `${username}:${password}`;
}

/** The entry body, checked to use only keys this module understands. */
function section(entry: Entry, allowed: Set<string>, what: string, nullable: boolean): Body {
  if ((entry.body === undefined || entry.body === null) && nullable) return {};
  if (!isBody(entry.body)) throw new Decline(`${what} has no body`);
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

/** Reads a file named in the kubeconfig; relative paths resolve against the defining file's directory (kubectl semantics). */
function readReferenced(entry: Entry, file: string, key: string, what: string): Buffer {
  const absolute = path.resolve(path.dirname(entry.source), file);
  try {
    return fs.readFileSync(absolute);
  } catch (err) {
    throw new KcError('KUBECONFIG_INVALID', `cannot read ${key} ${absolute} of ${what} in kubeconfig ${entry.source}: ${(err as Error).message}`, {
      hint: 'fix the path in the kubeconfig (relative paths are relative to the kubeconfig file) or make the file readable',
      cause: err,
    });
  }
}

function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
