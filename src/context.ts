import fs from 'node:fs';
import { defaultCacheDir, defaultConfigDir } from './dirs.js';
import { nodeFileSystem, type FileSystem } from './io/file-system.js';
import type { ClusterSession } from './actions/cluster-session.js';
import type { ClusterSelector } from './kube/kubeconfig.js';
import { systemClock, type Clock } from './clock.js';
import type { HttpClient } from './repo/http.js';
import type { RegistryAuthOptions } from './oci/credential-store.js';

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
  /** Aborted on SIGINT/SIGTERM: chart code running for the command is stopped at once. */
  signal?: AbortSignal;
  /** Where registry credentials are kept (Docker config, helpers on PATH): the process's env and home when unset. */
  registryAuth?: RegistryAuthOptions;
}

export { defaultCacheDir, defaultConfigDir } from './dirs.js';

/** Node's HTTP client, loaded at the first fetch: commands that download nothing never load http/https/tls. */
function lazyHttpClient(): HttpClient {
  let client: Promise<HttpClient> | undefined;
  return {
    async fetch(url, options) {
      client ??= import('./repo/http.js').then((m) => m.nodeHttpClient());
      return (await client).fetch(url, options);
    },
  };
}

let sessionModule: Promise<typeof import('./actions/cluster-session.js')> | undefined;
/** The kube transport (http2, tls), loaded by the first connect: commands that talk to no cluster never load it. */
const clusterSession = () => (sessionModule ??= import('./actions/cluster-session.js'));

/**
 * A context over the real process, disk and standard input. Cluster requests made before `signal` aborts are
 * abandoned at once when it does (Ctrl-C must not wait for a server that stopped answering).
 */
export function processContext(signal?: AbortSignal): KcContext {
  return {
    cwd: process.cwd(),
    fs: nodeFileSystem,
    cacheDir: defaultCacheDir(),
    readStdin: () => fs.readFileSync(0, 'utf8'),
    connect: async (selector) => (await clusterSession()).connectCluster(selector, { signal }),
    configDir: defaultConfigDir(),
    http: lazyHttpClient(),
    clock: systemClock,
    signal,
  };
}
