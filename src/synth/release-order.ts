import { KcError } from '../errors/index.js';

/** Orders releases so each comes after those it depends on; ties keep the app's declaration order. */
export function orderReleases<T extends { name: string; dependsOn: string[] }>(releases: readonly T[]): T[] {
  const byName = new Map(releases.map((r) => [r.name, r]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: T[] = [];
  const visit = (r: T, chain: string[]) => {
    if (done.has(r.name)) return;
    if (visiting.has(r.name)) {
      throw new KcError('CHART_INVALID', `releases depend on each other in a cycle: ${[...chain, r.name].join(' → ')}`, {
        hint: 'remove one of the addDependency calls that form the cycle',
      });
    }
    visiting.add(r.name);
    for (const dep of r.dependsOn) {
      const target = byName.get(dep);
      if (target) visit(target, [...chain, r.name]);
    }
    visiting.delete(r.name);
    done.add(r.name);
    out.push(r);
  };
  releases.forEach((r) => visit(r, []));
  return out;
}
