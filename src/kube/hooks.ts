import type { KubeObject } from './types.js';
import { compareText } from '../compare-text.js';

/** Hook events, as in the chart SDK (kept as plain strings on this side of the bundle boundary). */
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** Every event kc runs hooks on (Helm 3/4's, with `test` for `kc test`). */
export const HOOK_EVENTS = [
  'pre-install', 'post-install', 'pre-upgrade', 'post-upgrade', 'pre-rollback', 'post-rollback', 'pre-delete',
  'post-delete', 'test',
] as const;

/** A hook object with its parsed annotations. */
export interface HookSpec {
  object: KubeObject;
  events: HookEvent[];
  weight: number;
  deletePolicy: string[];
}

const annotations = (o: KubeObject) => (o.metadata?.annotations ?? {}) as Record<string, string>;

/** True when an object carries kc's hook annotation. */
export function isHook(o: KubeObject): boolean {
  return annotations(o)['kc.dev/hook'] !== undefined;
}

/** Parses an object's hook annotations. */
export function hookSpec(o: KubeObject): HookSpec {
  const a = annotations(o);
  const weight = Number(a['kc.dev/hook-weight'] ?? '0');
  return {
    object: o,
    events: (a['kc.dev/hook'] ?? '').split(',').map((e) => e.trim()).filter(Boolean) as HookEvent[],
    weight: Number.isFinite(weight) ? weight : 0,
    deletePolicy: (a['kc.dev/hook-delete-policy'] ?? 'before-hook-creation').split(',').map((p) => p.trim()),
  };
}

/** The hooks for one event, in run order: weight, then kind, then name. */
export function hooksFor(objects: readonly KubeObject[], event: HookEvent): HookSpec[] {
  return objects
    .map(hookSpec)
    .filter((h) => h.events.includes(event))
    .sort(
      (a, b) =>
        a.weight - b.weight ||
        compareText(String(a.object.kind), String(b.object.kind)) ||
        compareText(String(a.object.metadata?.name), String(b.object.metadata?.name)),
    );
}

/** Whether a hook object has finished: Jobs complete or fail, Pods succeed or fail; anything else is done when applied. */
export function hookState(o: KubeObject): { done: boolean; failed: boolean; reason: string } {
  const status = (o.status ?? {}) as { conditions?: { type: string; status: string; reason?: string; message?: string }[]; phase?: string };
  if (o.kind === 'Job') {
    const c = (type: string) => status.conditions?.find((x) => x.type === type && x.status === 'True');
    const failed = c('Failed');
    if (failed) return { done: true, failed: true, reason: `${failed.reason ?? 'Failed'}${failed.message ? `: ${failed.message}` : ''}` };
    if (c('Complete')) return { done: true, failed: false, reason: 'Complete' };
    return { done: false, failed: false, reason: 'running' };
  }
  if (o.kind === 'Pod') {
    if (status.phase === 'Succeeded') return { done: true, failed: false, reason: 'Succeeded' };
    if (status.phase === 'Failed') return { done: true, failed: true, reason: 'Failed' };
    return { done: false, failed: false, reason: status.phase ?? 'Pending' };
  }
  return { done: true, failed: false, reason: 'applied' };
}
