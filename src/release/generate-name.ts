// --generate-name: Helm names the release `<base>-<unix seconds>`, where base is the last path segment of the chart
// argument up to its first dot. kc names it the same way from the argument (no chart is loaded just to name it),
// and also drops what names a version rather than the chart (`:tag`, `@digest`, `@range`, `-1.2.3.tgz`) and
// whatever a release name cannot hold, so `oci://reg/charts/mysql:1.0` gives `mysql-…`, not an invalid name.
import path from 'node:path';
import { MAX_RELEASE_NAME } from './name.js';

/** The chart's name as the chart argument gives it, made fit for a release name ("chart" when nothing is left). */
export function chartBaseName(chart: string, cwd: string): string {
  let last =
    chart
      .replace(/[/\\]+$/, '')
      .split(/[/\\]/)
      .pop() ?? '';
  if (last === '' || last === '.' || last === '..') last = path.basename(path.resolve(cwd, chart));
  const base = last
    .replace(/@.*$/, '') // @sha256:…, repo/chart@range
    .replace(/:.*$/, '') // oci tag
    .replace(/\.tgz$/i, '')
    .replace(/-v?\d+\.\d+\.\d+.*$/, '') // mysql-1.2.0(.tgz)
    .replace(/\..*$/, '') // as Helm: up to the first dot
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return base || 'chart';
}

/** `<chart base name>-<unix seconds of now>`, the base shortened so the whole stays a valid release name. */
export function generatedReleaseName(chart: string, now: Date, cwd: string): string {
  const suffix = `-${Math.floor(now.getTime() / 1000)}`;
  const base = chartBaseName(chart, cwd)
    .slice(0, MAX_RELEASE_NAME - suffix.length)
    .replace(/-+$/, '');
  return `${base || 'chart'}${suffix}`;
}
