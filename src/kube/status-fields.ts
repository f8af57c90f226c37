import type { KubeObject } from './types.js';

/** One entry of `status.conditions`, as most Kubernetes kinds write it. */
export interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

type Json = Record<string, unknown>;

/** The value at a path of an object read from the cluster, or undefined. */
export function field(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[key];
  }
  return cur;
}

/** A finite number at a path, else the fallback (Kubernetes' own defaults, e.g. replicas 1). */
export function num(o: unknown, fallback: number, ...path: string[]): number {
  const v = field(o, ...path);
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** A string at a path, or undefined. */
export function str(o: unknown, ...path: string[]): string | undefined {
  const v = field(o, ...path);
  return typeof v === 'string' ? v : undefined;
}

/** The object's `status.conditions`, ignoring entries that are not objects. */
export function conditions(o: KubeObject): Condition[] {
  const list = field(o, 'status', 'conditions');
  return Array.isArray(list) ? list.filter((c): c is Condition => c !== null && typeof c === 'object') : [];
}

/** The condition of a type, or undefined. */
export function condition(o: KubeObject, type: string): Condition | undefined {
  return conditions(o).find((c) => c.type === type);
}

/** Whether the object has a condition of this type with status "True". */
export function isTrue(o: KubeObject, type: string): boolean {
  return condition(o, type)?.status === 'True';
}
