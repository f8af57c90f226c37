// The history of an environment delivered by a GitOps engine: each published digest kc pointed the engine at, kept
// in one ConfigMap beside the engine's objects (digests and release names only: nothing secret).
import crypto from 'node:crypto';
import { KcError, isKcError } from '../errors/index.js';
import type { KubeClient, KubeObject } from '../kube/types.js';
import type { PublishedEnvironment } from './types.js';

/** One revision: what was published and pointed at, and how it ended. */
export interface GitopsRevision {
  revision: number;
  status: 'pending' | 'deployed' | 'superseded' | 'failed';
  published: PublishedEnvironment;
  description: string;
  /** ISO time of the last change. */
  updated: string;
  deployedBy: string;
}

/** At most this many revisions are kept (the oldest are dropped). */
export const MAX_GITOPS_REVISIONS = 50;

const DATA_KEY = 'history.json';

/** The ConfigMap's name for a project's environment: readable when the names allow, else with a hash. */
export function historyName(project: string, env: string): string {
  const plain = `kc.gitops.${project}.${env}`.toLowerCase();
  if (/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(plain) && plain.length <= 253) return plain;
  const hash = crypto.createHash('sha256').update(`${project}\0${env}`).digest('hex').slice(0, 16);
  return `kc.gitops.${hash}`;
}

function refFor(namespace: string, project: string, env: string) {
  return { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: historyName(project, env) };
}

function parse(object: KubeObject | undefined, where: string): GitopsRevision[] {
  const text = (object?.data as Record<string, string> | undefined)?.[DATA_KEY];
  if (text === undefined) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    if (Array.isArray(parsed)) return parsed as GitopsRevision[];
  } catch {
    // fall through
  }
  throw new KcError('RECORD_CORRUPT', `the GitOps history ${where} is not readable`, {
    hint: "it was changed outside kc; delete it to start a new history (the engine's objects are untouched)",
  });
}

/** The revisions of an environment, oldest first (empty before the first deploy). */
export async function readGitopsHistory(
  client: KubeClient,
  namespace: string,
  project: string,
  env: string,
): Promise<GitopsRevision[]> {
  const ref = refFor(namespace, project, env);
  return parse(await client.get(ref), `${namespace}/${ref.name}`);
}

/**
 * Changes the history with `change` and writes it back, conditional on the version read: a concurrent deploy of the
 * same environment makes this fail with CONFLICT rather than lose its revision.
 */
export async function updateGitopsHistory(
  client: KubeClient,
  namespace: string,
  project: string,
  env: string,
  change: (revisions: GitopsRevision[]) => GitopsRevision[],
): Promise<GitopsRevision[]> {
  const ref = refFor(namespace, project, env);
  const live = await client.get(ref);
  const revisions = change(parse(live, `${namespace}/${ref.name}`)).slice(-MAX_GITOPS_REVISIONS);
  const object: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: ref.name,
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'kc', 'kc.dev/gitops-history': 'true' },
      annotations: { 'kc.dev/project': project, 'kc.dev/env': env },
      ...(live?.metadata?.resourceVersion ? { resourceVersion: live.metadata.resourceVersion } : {}),
    },
    data: { [DATA_KEY]: JSON.stringify(revisions) },
  };
  try {
    if (live) await client.replace(object);
    else await client.create(object);
  } catch (err) {
    if (isKcError(err) && (err.code === 'CONFLICT' || err.code === 'ALREADY_EXISTS')) {
      throw new KcError(
        'RELEASE_LOCKED',
        `another kc deploy of environment "${env}" changed its GitOps history meanwhile`,
        {
          hint: 'wait for it to finish, then run the command again',
        },
      );
    }
    throw err;
  }
  return revisions;
}
