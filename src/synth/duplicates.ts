import type { KubeObject } from './order.js';

/** An object defined twice: the item that defined it first and the one that defines it again. */
export interface DuplicateObject<T> {
  first: T;
  again: T;
}

/** The identity an object must not share with another: API group, kind, namespace and name. */
function identity(o: KubeObject): string {
  const group = (o.apiVersion ?? '').includes('/') ? o.apiVersion!.split('/')[0] : '';
  return [group, o.kind, o.metadata?.namespace ?? '', o.metadata?.name ?? ''].join('/');
}

/** Every item whose object an earlier item already defines (one would overwrite the other when applied). */
export function duplicateObjects<T extends { object: KubeObject }>(items: readonly T[]): DuplicateObject<T>[] {
  const seen = new Map<string, T>();
  const out: DuplicateObject<T>[] = [];
  for (const item of items) {
    const key = identity(item.object);
    const first = seen.get(key);
    if (first) out.push({ first, again: item });
    else seen.set(key, item);
  }
  return out;
}
