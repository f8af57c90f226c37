import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeFileSystem, type FileSystem } from './io/file-system.js';
import { connectCluster, type ClusterSession } from './actions/cluster-session.js';
import type { ClusterSelector } from './kube/kubeconfig.js';
import { systemClock, type Clock } from './clock.js';
import { nodeHttpClient, type HttpClient } from './repo/http.js';

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
  /** Where kc keeps settings such as the repositories list. */
  configDir: string;
  /** Downloads repository indexes and charts. */
  http: HttpClient;
  /** Time for records kc writes outside the cluster (e.g. `created` in a repository index). */
  clock: Clock;
}

/** The cache folder: $KC_CACHE_DIR, else $XDG_CACHE_HOME/kc, else ~/.cache/kc. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KC_CACHE_DIR) return env.KC_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'kc');
}

/** The settings folder: $KC_CONFIG_DIR, else $XDG_CONFIG_HOME/kc, else ~/.config/kc. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KC_CONFIG_DIR) return env.KC_CONFIG_DIR;
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'kc');
}

/** A context over the real process, disk and standard input. */
export function processContext(): KcContext {
  return {
    cwd: process.cwd(),
    fs: nodeFileSystem,
    cacheDir: defaultCacheDir(),
    readStdin: () => fs.readFileSync(0, 'utf8'),
    connect: (selector) => connectCluster(selector),
    configDir: defaultConfigDir(),
    http: nodeHttpClient(),
    clock: systemClock,
  };
}
