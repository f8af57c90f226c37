import type { Clock } from '../clock.js';
import { KcError } from '../errors/index.js';
import { applyStaged } from '../kube/apply.js';
import { deleteOwned } from '../kube/owned-delete.js';
import { hookState, hooksFor, type HookEvent, type HookSpec } from '../kube/hooks.js';
import { describeRef, refOf, type KubeClient, type KubeObject, type ObjectRef } from '../kube/types.js';
import { whyUnready } from '../kube/why-unready.js';

/** The outcome of one hook (or test) object. */
export interface HookResult {
  event: HookEvent;
  ref: ObjectRef;
  ok: boolean;
  reason: string;
  /** Status lines and log tail, when it failed. */
  details: string[];
  /** With `logs`: the full logs of its Pod (or its Job's Pods), read before its delete policy removes it. */
  logs?: PodLog[];
}

/** The logs of one Pod a hook ran. */
export interface PodLog {
  pod: string;
  text: string;
}

/** What running hooks needs. */
export interface HookRunOptions {
  release: string;
  namespace: string;
  timeoutMs: number;
  clock: Clock;
  signal?: AbortSignal;
  /** Keep going after a failure and report every result (kc test); default: stop at the first. */
  runAll?: boolean;
  /** Read every hook Pod's logs (kc test --logs). */
  logs?: boolean;
}

/** Deletes a hook object of an earlier run, if the release owns it, and waits (bounded) until it is gone. */
async function deleteAndWaitGone(client: KubeClient, ref: ObjectRef, release: string, clock: Clock): Promise<void> {
  const { deleted } = await deleteOwned(client, [ref], { release, propagation: 'Foreground' });
  if (deleted.length === 0) return; // absent, or not the release's: then applying the hook refuses it by name
  for (let i = 0; i < 120 && (await client.get(ref)); i++) await clock.sleep(250);
}

async function podLogs(client: KubeClient, ns: string, pods: KubeObject[]): Promise<string[]> {
  if (pods.length === 0) return [];
  const text = await client.podLogs(ns, String(pods[0].metadata?.name)).catch(() => undefined);
  return text ? ['logs:', ...text.trimEnd().split('\n').slice(-20).map((l) => `  ${l}`)] : [];
}

const podsOf = async (client: KubeClient, live: KubeObject, ns: string): Promise<KubeObject[]> =>
  live.kind === 'Pod'
    ? [live]
    : live.kind === 'Job'
      ? client.list('v1', 'Pod', { namespace: ns, labelSelector: `job-name=${live.metadata?.name}` }).catch(() => [])
      : [];

async function allLogs(client: KubeClient, live: KubeObject | undefined, ns: string): Promise<PodLog[]> {
  if (!live) return [];
  const logs: PodLog[] = [];
  for (const pod of await podsOf(client, live, ns)) {
    const name = String(pod.metadata?.name);
    const text = await client.podLogs(ns, name).catch(() => undefined);
    logs.push({ pod: name, text: text ?? '' });
  }
  return logs;
}

async function explain(client: KubeClient, live: KubeObject | undefined, ns: string): Promise<string[]> {
  if (!live) return ['the object disappeared'];
  const lines: string[] = [];
  const why = await whyUnready(client, live).catch(() => undefined);
  if (why) lines.push(why);
  lines.push(...(await podLogs(client, ns, await podsOf(client, live, ns))));
  return lines;
}

async function runOne(client: KubeClient, hook: HookSpec, event: HookEvent, options: HookRunOptions): Promise<HookResult> {
  const { clock } = options;
  const release = `${options.namespace}/${options.release}`;
  const placed = await applyStaged(client, [hook.object], {
    release,
    namespace: options.namespace,
    clock,
    signal: options.signal,
  }).then(async (applied) => applied[0]);
  const ref = refOf(placed);
  const deadline = clock.now().getTime() + options.timeoutMs;
  let live: KubeObject | undefined = placed;
  let state = hookState(placed);
  while (!state.done) {
    if (clock.now().getTime() > deadline) break;
    await clock.sleep(500, options.signal);
    live = await client.get(ref);
    state = live ? hookState(live) : { done: true, failed: true, reason: 'deleted while running' };
  }
  const ok = state.done && !state.failed;
  const reason = state.done ? state.reason : `timed out after ${Math.round(options.timeoutMs / 1000)}s (${state.reason})`;
  const details = ok ? [] : await explain(client, live, options.namespace);
  // Read before the delete policy removes the object (and, for a Job, its Pods).
  const logs = options.logs ? { logs: await allLogs(client, live, options.namespace) } : {};
  if ((ok && hook.deletePolicy.includes('hook-succeeded')) || (!ok && hook.deletePolicy.includes('hook-failed'))) {
    await deleteOwned(client, [ref], { release });
  }
  return { event, ref, ok, reason, details, ...logs };
}

/**
 * Runs the hooks of one event in weight order: each is (re)created, waited for until it completes, and cleaned
 * up by its delete policy. A failing hook stops the run with HOOK_FAILED naming it, its status and log tail.
 */
export async function runHooks(client: KubeClient, objects: readonly KubeObject[], event: HookEvent, options: HookRunOptions): Promise<HookResult[]> {
  const results: HookResult[] = [];
  for (const hook of hooksFor(objects, event)) {
    if (options.signal?.aborted) throw options.signal.reason;
    const ref = refOf({ ...hook.object, metadata: { ...hook.object.metadata, namespace: hook.object.metadata?.namespace ?? options.namespace } });
    if (hook.deletePolicy.includes('before-hook-creation')) await deleteAndWaitGone(client, ref, `${options.namespace}/${options.release}`, options.clock);
    const result = await runOne(client, hook, event, options);
    results.push(result);
    if (!result.ok && !options.runAll) {
      throw new KcError('HOOK_FAILED', `${event} hook ${describeRef(result.ref)} failed: ${result.reason}`, {
        details: result.details,
        hint: 'fix the hook (see its status and logs above); the revision is marked failed',
      });
    }
  }
  return results;
}
