import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeFileSystem, type FileSystem } from './io/file-system.js';
import { connectCluster, type ClusterSession } from './actions/cluster-session.js';
import type { ClusterSelector } from './kube/kubeconfig.js';

/** The side effects an action may use, injected so actions are testable. */
export interface KcContext {
  cwd: string;
  fs: FileSystem;
  /** Where bundles and other caches are kept. */
  cacheDir: string;
  /** Reads all of standard input (for `-f -`). */
  readStdin: () => string;
  /** Opens a session to a cluster (tests substitute memory implementations). */
  connect: (selector: ClusterSelector) => Promise<ClusterSession>;
}

/** The cache folder: $KC_CACHE_DIR, else $XDG_CACHE_HOME/kc, else ~/.cache/kc. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KC_CACHE_DIR) return env.KC_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'kc');
}

/** A context over the real process, disk and standard input. */
export function processContext(): KcContext {
  return {
    cwd: process.cwd(),
    fs: nodeFileSystem,
    cacheDir: defaultCacheDir(),
    readStdin: () => fs.readFileSync(0, 'utf8'),
    connect: (selector) => connectCluster(selector),
  };
}
