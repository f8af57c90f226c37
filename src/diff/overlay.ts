import type { KubeObject } from '../kube/types.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function overlay(live: unknown, sent: unknown): unknown {
  if (isRecord(live) && isRecord(sent)) {
    const out: Record<string, unknown> = { ...live };
    for (const [key, value] of Object.entries(sent)) out[key] = overlay(live[key], value);
    return out;
  }
  // Lists as long as the live ones are taken item by item, so defaults the server filled in do not show as removed.
  if (Array.isArray(live) && Array.isArray(sent) && live.length === sent.length) {
    return sent.map((v, i) => overlay(live[i], v));
  }
  return sent;
}

/**
 * `sent` laid over `live`: maps merged key by key, lists of the same length item by item, everything else as sent.
 * Stands in for what the server would store when it refuses a dry run (an immutable field changed), so a diff shows
 * the chart's changes rather than every default the server would fill in again.
 */
export function overlayOnLive(live: KubeObject | undefined, sent: KubeObject): KubeObject {
  return (live ? overlay(live, sent) : sent) as KubeObject;
}
