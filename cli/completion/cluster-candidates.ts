// Candidates read from the cluster or the kubeconfig, for a Tab press: within a deadline, never an error. Loaded
// (with the cluster code behind it) only when a release, namespace or kube context is being completed.
import { connectCluster } from '../../src/actions/cluster-session.js';
import { contextNames, namespaceNames, releaseNames } from '../../src/actions/completion-candidates.js';
import type { KcContext } from '../../src/context.js';
import type { ClusterWords } from './cluster-words.js';

/** How long a Tab press may wait for the cluster, in total (connecting, reading a project for --env, listing). */
export const CLUSTER_DEADLINE_MS = 2000;

/**
 * Runs `ask` with a context whose cluster requests (and project loading) are aborted at the deadline; an unreachable
 * cluster, a missing kubeconfig or anything else going wrong offers nothing. The deadline also bounds work that
 * cannot be aborted: its answer is then dropped.
 */
async function withinDeadline(
  ctx: KcContext,
  deadlineMs: number,
  ask: (ctx: KcContext) => Promise<string[]>,
): Promise<string[]> {
  const controller = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, controller.signal]) : controller.signal;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('completion deadline'));
      resolve([]);
    }, deadlineMs);
  });
  // The session's transport gets the signal: a retry sleeping or a request in flight ends at the deadline, so no
  // socket or timer keeps the process alive after the answer is printed.
  const bounded: KcContext = { ...ctx, signal, connect: (selector) => connectCluster(selector, { signal }) };
  try {
    return await Promise.race([ask(bounded).catch(() => []), deadline]);
  } finally {
    clearTimeout(timer);
    controller.abort(new Error('completion done'));
  }
}

/** The releases in the namespace the words select; none when the cluster does not answer in time. */
export function completeReleases(
  ctx: KcContext,
  words: ClusterWords,
  deadlineMs = CLUSTER_DEADLINE_MS,
): Promise<string[]> {
  return withinDeadline(ctx, deadlineMs, (c) => releaseNames(c, words));
}

/** The cluster's namespaces; none when the cluster does not answer in time. */
export function completeNamespaces(
  ctx: KcContext,
  words: ClusterWords,
  deadlineMs = CLUSTER_DEADLINE_MS,
): Promise<string[]> {
  return withinDeadline(ctx, deadlineMs, (c) => namespaceNames(c, words));
}

/** The kubeconfig's contexts (read from disk only); none when it cannot be read. */
export function completeContexts(words: ClusterWords): string[] {
  try {
    return contextNames(words.kubeconfig);
  } catch {
    return [];
  }
}
