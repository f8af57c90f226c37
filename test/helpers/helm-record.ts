// Helm release records as Helm's Secret driver writes them, built for unit tests.
import zlib from 'node:zlib';

/** A release record as Helm's Secret driver stores it, as the API returns data.release: base64(base64(gzip(JSON))). */
export function helmData(release: object, gzip = true): string {
  const json = Buffer.from(JSON.stringify(release));
  const helmText = (gzip ? zlib.gzipSync(json) : json).toString('base64');
  return Buffer.from(helmText).toString('base64');
}

/** A minimal release like Helm's. */
export function helmRelease(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'web',
    namespace: 'apps',
    version: 2,
    info: {
      first_deployed: '2025-01-02T03:04:05.123456789Z',
      last_deployed: '2025-02-02T03:04:05.5Z',
      deleted: '',
      description: 'Upgrade complete',
      status: 'deployed',
      notes: 'hi',
    },
    chart: { metadata: { name: 'web', version: '1.2.3', appVersion: '4.5' }, values: { replicas: 1 }, templates: [] },
    config: { replicas: 2 },
    manifest: '---\n# Source: web/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
    hooks: [
      {
        name: 'web-migrate',
        kind: 'Job',
        path: 'web/templates/job.yaml',
        manifest: 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: web-migrate\n',
        events: ['pre-upgrade', 'pre-install'],
        last_run: { started_at: '', completed_at: '', phase: '' },
        weight: -5,
        delete_policies: ['hook-succeeded'],
      },
    ],
    ...overrides,
  };
}

/** The Secret Helm's Secret driver writes for `release` (a helmRelease()), as the API returns it. */
export function helmSecret(release: Record<string, unknown>, status?: string): Record<string, unknown> {
  const info = release.info as { status: string };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: `sh.helm.release.v1.${release.name}.v${release.version}`,
      namespace: release.namespace,
      labels: { owner: 'helm', name: release.name, status: status ?? info.status, version: String(release.version) },
    },
    data: { release: helmData(release) },
  };
}
