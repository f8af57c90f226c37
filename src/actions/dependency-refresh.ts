// --dependency-update on install, upgrade, template and diff: a chart directory whose kc.lock.json is missing or
// out of date with package.json's kc.dependencies gets `kc dependency update` first, so the render uses what the
// chart declares. A packaged chart (.tgz, URL, repo/chart, oci://) carries its dependencies locked and a project has
// none of its own: nothing to do. A Helm chart directory is rendered by helm, whose Chart.yaml dependencies kc does
// not manage: nothing to do either (`helm dependency update` does that).
import path from 'node:path';
import { declaredDependencies, lockProblems, readLock } from '../artifact/index.js';
import { locateSource } from '../config/locate.js';
import type { KcContext } from '../context.js';
import type { RegistryOptions } from '../oci/options.js';
import { dependencyUpdate, type DependencyUpdateResult } from './dependency.js';

/** Runs `kc dependency update` on `chart` when it is a chart directory whose lock is stale; else undefined. */
export async function updateStaleDependencies(
  ctx: KcContext,
  chart: string,
  options: { registry?: RegistryOptions } = {},
): Promise<DependencyUpdateResult | undefined> {
  const source = locateSource(ctx.fs, ctx.cwd, chart);
  if (source.kind !== 'chart') return undefined;
  const label = path.join(path.relative(ctx.cwd, source.dir) || '.', 'package.json');
  const declared = declaredDependencies(source.packageJson, label);
  if (lockProblems(source.dir, declared, readLock(source.dir)).length === 0) return undefined;
  return dependencyUpdate(ctx, chart, options);
}
