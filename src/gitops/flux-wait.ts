// Waiting for Flux to apply a published digest: the Kustomizations are read (bounded polling) until each is ready,
// one fails, or the time is up.
import type { Clock } from '../clock.js';
import { KcError } from '../errors/index.js';
import type { KubeClient } from '../kube/types.js';
import { judgeKustomization, type FluxReleaseState } from './flux-state.js';

/** Flux's Kustomization kind. */
export const KUSTOMIZATION = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' } as const;

/** What to wait for. */
export interface FluxWait {
  namespace: string;
  /** Each release and the name of its Kustomization. */
  kustomizations: { release: string; name: string }[];
  digest: string;
  timeoutMs: number;
  clock: Clock;
  signal?: AbortSignal;
  /** Called when any release's state changes. */
  onProgress?: (states: FluxReleaseState[]) => void;
  /** Between reads (default 500 ms). */
  pollMs?: number;
}

const key = (s: FluxReleaseState) => `${s.release}:${s.state}:${s.reason ?? ''}:${s.message ?? ''}`;

/** Reads every release's Kustomization once and judges it against the digest. */
export async function fluxStates(client: KubeClient, wait: Pick<FluxWait, 'namespace' | 'kustomizations' | 'digest'>) {
  return Promise.all(
    wait.kustomizations.map(async ({ release, name }) => {
      const live = await client.get({ ...KUSTOMIZATION, namespace: wait.namespace, name });
      return judgeKustomization(release, live, wait.digest);
    }),
  );
}

/**
 * Resolves with the states once every release is ready; throws NOT_READY naming the failed releases and Flux's
 * reasons when one fails, and TIMEOUT with each unfinished release's reason when the time is up.
 */
export async function waitForFlux(client: KubeClient, wait: FluxWait): Promise<FluxReleaseState[]> {
  const pollMs = wait.pollMs ?? 500;
  const deadline = wait.clock.now().getTime() + wait.timeoutMs;
  // Bounded: at most one read per pollMs until the deadline (plus the first).
  const maxReads = Math.ceil(wait.timeoutMs / pollMs) + 1;
  let last = '';
  for (let read = 0; read < maxReads; read++) {
    const states = await fluxStates(client, wait);
    const summary = states.map(key).join('|');
    if (summary !== last) wait.onProgress?.(states);
    last = summary;
    const failed = states.filter((s) => s.state === 'failed');
    if (failed.length > 0) {
      throw new KcError('NOT_READY', `Flux could not apply ${failed.map((s) => s.release).join(', ')}`, {
        details: failed.map((s) => `${s.release}: ${s.reason}${s.message ? `: ${s.message}` : ''}`),
        hint: "`kc status --env ENV` shows each release's state; fix the cause and deploy again, or roll back",
      });
    }
    if (states.every((s) => s.state === 'ready')) return states;
    if (wait.clock.now().getTime() >= deadline) {
      throw new KcError('TIMEOUT', `Flux did not apply every release within ${Math.round(wait.timeoutMs / 1000)} s`, {
        details: states
          .filter((s) => s.state !== 'ready')
          .map((s) => `${s.release}: ${s.reason ?? 'not reconciled yet'}${s.message ? `: ${s.message}` : ''}`),
        hint: 'the engine keeps trying: `kc status --env ENV` shows where it stands; --timeout waits longer',
      });
    }
    await wait.clock.sleep(pollMs, wait.signal);
  }
  throw new KcError('TIMEOUT', `Flux did not apply every release within ${Math.round(wait.timeoutMs / 1000)} s`, {
    hint: '`kc status --env ENV` shows where it stands',
  });
}
