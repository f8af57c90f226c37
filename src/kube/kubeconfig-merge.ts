// kubectl's loading rules: which kubeconfig files are read and how they merge. --kubeconfig names the one file;
// else $KUBECONFIG lists files (missing ones skipped), else ~/.kube/config. For each cluster, user and context name
// the first file defining it wins, as does the first non-empty current-context; names may repeat across files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { KcError } from '../errors/index.js';
import { missingKubeconfigError, unreadableKubeconfigError } from './kubeconfig-errors.js';

/** One named cluster, user or context, with the kubeconfig file that defined it. */
export interface KubeconfigEntry {
  name: string;
  /** The `cluster`, `user` or `context` field of the entry, as parsed. */
  body: unknown;
  /** Path of the file that defined it: relative paths in `body` are relative to its directory. */
  source: string;
}

/** The kubeconfig files merged with kubectl's rules. */
export interface MergedKubeconfig {
  /** The files read, in precedence order (empty: no kubeconfig exists). */
  files: string[];
  clusters: Map<string, KubeconfigEntry>;
  users: Map<string, KubeconfigEntry>;
  contexts: Map<string, KubeconfigEntry>;
  currentContext?: string;
}

/** The files to read in precedence order; `env` supplies $KUBECONFIG and $HOME. */
export function kubeconfigFiles(kubeconfig: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (kubeconfig) {
    if (!fs.existsSync(kubeconfig)) throw missingKubeconfigError(kubeconfig);
    return [kubeconfig];
  }
  // kubectl skips missing and empty entries of $KUBECONFIG, so a list naming optional files still works.
  if (env.KUBECONFIG) return env.KUBECONFIG.split(path.delimiter).filter((f) => f && fs.existsSync(f));
  const home = path.join(env.HOME || os.homedir(), '.kube', 'config');
  return fs.existsSync(home) ? [home] : [];
}

/** Reads and merges the kubeconfig files for `--kubeconfig` (or $KUBECONFIG, or ~/.kube/config). */
export function loadMergedKubeconfig(kubeconfig: string | undefined, env?: NodeJS.ProcessEnv): MergedKubeconfig {
  const files = kubeconfigFiles(kubeconfig, env);
  const merged: MergedKubeconfig = { files, clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) {
    const doc = readDocument(file);
    collect(merged.clusters, doc.clusters, 'cluster', file);
    collect(merged.users, doc.users, 'user', file);
    collect(merged.contexts, doc.contexts, 'context', file);
    const current = doc['current-context'];
    if (current !== undefined && current !== null && typeof current !== 'string') {
      throw invalid(file, 'current-context is not a string');
    }
    if (merged.currentContext === undefined && current) merged.currentContext = current;
  }
  return merged;
}

function readDocument(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    // logLevel 'error': parse errors throw, warnings are not printed.
    doc = parse(fs.readFileSync(file, 'utf8'), { logLevel: 'error' });
  } catch (err) {
    throw unreadableKubeconfigError(file, err);
  }
  // An empty file is an empty kubeconfig, as for kubectl.
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw invalid(file, 'it is not a YAML mapping');
  return doc as Record<string, unknown>;
}

/** Adds the file's entries of one list; a name repeated within one file is an error, as for kubectl. */
function collect(into: Map<string, KubeconfigEntry>, list: unknown, key: string, source: string): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw invalid(source, `${key}s is not a list`);
  const seen = new Set<string>();
  for (const item of list as unknown[]) {
    const name = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).name : undefined;
    if (typeof name !== 'string' || !name) throw invalid(source, `a ${key} entry has no name`);
    if (seen.has(name)) throw invalid(source, `${key} "${name}" is defined twice`);
    seen.add(name);
    if (!into.has(name)) into.set(name, { name, body: (item as Record<string, unknown>)[key], source });
  }
}

function invalid(file: string, reason: string): KcError {
  return unreadableKubeconfigError(file, new Error(reason));
}
