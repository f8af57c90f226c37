/** Kubernetes names are DNS labels: at most 63 characters. */
const MAX_NAME = 63;

function truncate(name: string): string {
  return name.length <= MAX_NAME ? name : name.slice(0, MAX_NAME).replace(/-+$/, '');
}

/** Helm's fullname rule: the release name if it already contains the chart name, else `<release>-<chart>`. */
export function fullname(release: string, chartName: string): string {
  return truncate(release.includes(chartName) ? release : `${release}-${chartName}`);
}

/** Labels that select a release's pods; stable across upgrades. */
export function selectorLabels(release: string, chartName: string): Record<string, string> {
  return { 'app.kubernetes.io/instance': release, 'app.kubernetes.io/name': chartName };
}

/** Labels kc puts on every object of a release (the recommended app.kubernetes.io set). */
export function standardLabels(
  release: string,
  chart: { name: string; version: string; appVersion?: string },
): Record<string, string> {
  const labels: Record<string, string> = {
    ...selectorLabels(release, chart.name),
    'app.kubernetes.io/managed-by': 'kc',
    'kc.dev/chart': `${chart.name}-${chart.version}`.replace(/\+/g, '_'),
  };
  if (chart.appVersion) labels['app.kubernetes.io/version'] = chart.appVersion;
  return labels;
}
