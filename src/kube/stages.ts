import { INSTALL_ORDER } from '../synth/order.js';
import type { KubeObject } from './types.js';

// Unknown kinds (custom resources) go last, after everything they may depend on.
const rank = (kind: string) => {
  const i = INSTALL_ORDER.indexOf(kind);
  return i < 0 ? INSTALL_ORDER.length : i;
};

/** Splits objects into stages: CRDs, Namespaces, then one stage per kind rank of Helm's install order. */
export function applyStages(objects: readonly KubeObject[]): KubeObject[][] {
  const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
  const namespaces = objects.filter((o) => o.kind === 'Namespace');
  const byRank = new Map<number, KubeObject[]>();
  for (const o of objects) {
    if (o.kind === 'CustomResourceDefinition' || o.kind === 'Namespace') continue;
    const r = rank(o.kind ?? '');
    const list = byRank.get(r);
    if (list) list.push(o);
    else byRank.set(r, [o]);
  }
  const rest = [...byRank.entries()].sort(([a], [b]) => a - b).map(([, list]) => list);
  return [crds, namespaces, ...rest].filter((s) => s.length > 0);
}

