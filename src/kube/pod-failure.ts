import { condition, field, str } from './status-fields.js';
import type { KubeObject } from './types.js';

/**
 * Container waiting reasons that the kubelet only leaves by itself after a change: a crash loop (kstatus calls a
 * crash-looping pod Failed), an image it cannot pull or name, a missing ConfigMap or Secret key.
 */
export const TERMINAL_WAITING_REASONS: ReadonlySet<string> = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
]);

/** A container stuck waiting, as the kubelet reports it. */
export interface StuckContainer {
  container: string;
  reason: string;
  message?: string;
}

interface ContainerStatus {
  name?: string;
  state?: { waiting?: { reason?: string; message?: string } };
}

/** The pod's init and app container statuses, in that order. */
export function containerStatuses(pod: KubeObject): ContainerStatus[] {
  const all = [field(pod, 'status', 'initContainerStatuses'), field(pod, 'status', 'containerStatuses')];
  const lists = all.filter((l): l is ContainerStatus[] => Array.isArray(l));
  return lists.flatMap((l) => l.filter((c) => c !== null && typeof c === 'object'));
}

/** The first container of a pod that is not ready and waits for a reason that needs a change, or undefined. */
export function terminalWaiting(pod: KubeObject): StuckContainer | undefined {
  const phase = str(pod, 'status', 'phase');
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  // A ready pod (a sidecar restarting, say) serves; kstatus looks at crash loops only in unready pods too.
  if (condition(pod, 'Ready')?.status === 'True') return undefined;
  for (const c of containerStatuses(pod)) {
    const reason = c.state?.waiting?.reason;
    if (reason && TERMINAL_WAITING_REASONS.has(reason)) {
      const message = c.state?.waiting?.message?.trim();
      return { container: c.name ?? '?', reason, ...(message ? { message } : {}) };
    }
  }
  return undefined;
}

/** `container app: Back-off pulling image "x"`, the words kc uses for a stuck container. */
export function describeStuck(stuck: StuckContainer): string {
  return `container ${stuck.container}${stuck.message ? `: ${stuck.message}` : ''}`;
}
