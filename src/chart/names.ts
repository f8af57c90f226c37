/** Kubernetes names are DNS labels: at most 63 characters. */
const MAX_NAME = 63;

function truncate(name: string): string {
  return name.length <= MAX_NAME ? name : name.slice(0, MAX_NAME).replace(/-+$/, '');
}

/** Helm's `nameOverride` and `fullnameOverride` values; an empty string counts as unset, as in Helm's templates. */
export interface NameOverrides {
  nameOverride?: string;
  fullnameOverride?: string;
}

/** Helm's `<chart>.name` helper: the chart name, or `nameOverride` when set. */
export function appName(chartName: string, overrides: NameOverrides = {}): string {
  return truncate(overrides.nameOverride || chartName);
}

/**
 * Helm's fullname rule: `fullnameOverride` when set; else the release name if it already contains the (overridden)
 * chart name, else `<release>-<name>`.
 */
export function fullname(release: string, chartName: string, overrides: NameOverrides = {}): string {
  if (overrides.fullnameOverride) return truncate(overrides.fullnameOverride);
  const name = appName(chartName, overrides);
  return truncate(release.includes(name) ? release : `${release}-${name}`);
}

/** Labels that select a release's pods; stable across upgrades. */
export function selectorLabels(release: string, chartName: string): Record<string, string> {
  return { 'app.kubernetes.io/instance': release, 'app.kubernetes.io/name': chartName };
}

/**
 * Labels kc puts on every object of a release (the recommended app.kubernetes.io set); `name` is the
 * `app.kubernetes.io/name` value (the chart name unless overridden).
 */
export function standardLabels(
  release: string,
  chart: { name: string; version: string; appVersion?: string },
  name: string = chart.name,
): Record<string, string> {
  const labels: Record<string, string> = {
    ...selectorLabels(release, name),
    'app.kubernetes.io/managed-by': 'kc',
    'kc.dev/chart': `${chart.name}-${chart.version}`.replace(/\+/g, '_'),
  };
  if (chart.appVersion) labels['app.kubernetes.io/version'] = chart.appVersion;
  return labels;
}
