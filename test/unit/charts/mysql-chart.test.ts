import { describe, expect, test } from '@jest/globals';
import { App, Testing } from 'cdk8s';
import { MySqlChart } from '../../../charts/mysql/index.js';

describe('MySqlChart as plain cdk8s code (no kc host)', () => {
  test('new MySqlChart(app, "my-mysql", { rootPassword: "root" }) renders the seed objects', () => {
    const app = Testing.app();
    const chart = new MySqlChart(app, 'my-mysql', { rootPassword: 'root' });
    const kinds = Testing.synth(chart).map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`);
    expect(kinds.sort()).toEqual(['Deployment/my-mysql', 'Job/my-mysql-test', 'PersistentVolumeClaim/my-mysql', 'Secret/my-mysql', 'Service/my-mysql']);
  });

  test('metrics.serviceMonitor.enabled adds a typed ServiceMonitor scraping the exporter sidecar\'s port', () => {
    const chart = new MySqlChart(Testing.app(), 'my-mysql', {
      rootPassword: 'root',
      metrics: { enabled: true, serviceMonitor: { enabled: true, interval: '15s', labels: { release: 'prom' } } },
    });
    type Obj = { kind: string; apiVersion: string; metadata: { labels: Record<string, string> }; spec: any };
    const objects = Testing.synth(chart) as Obj[];
    const monitor = objects.find((o) => o.kind === 'ServiceMonitor');
    expect(monitor).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      metadata: { name: 'my-mysql', labels: { release: 'prom' } },
      spec: { endpoints: [{ port: 'metrics', interval: '15s' }], selector: { matchLabels: { app: 'my-mysql' } } },
    });
    const service = objects.find((o) => o.kind === 'Service')!;
    // The monitor selects the Service by labels it has, and scrapes a port the Service names.
    expect(service.metadata.labels).toMatchObject(monitor!.spec.selector.matchLabels);
    expect(service.spec.ports.map((p: { name: string }) => p.name)).toEqual(['mysql', 'metrics']);
    const pod = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec;
    expect(pod.containers.map((c: { name: string; image: string }) => `${c.name} ${c.image}`)).toEqual([
      'my-mysql mysql:5.7.14',
      'metrics prom/mysqld-exporter:v0.15.1',
    ]);
    // The exporter alone, without a monitor; a monitor without the exporter is refused.
    const exporterOnly = new MySqlChart(Testing.app(), 'x', { rootPassword: 'r', metrics: { enabled: true } });
    const plain = Testing.synth(exporterOnly) as Obj[];
    expect(plain.some((o) => o.kind === 'ServiceMonitor')).toBe(false);
    const monitorOnly = { rootPassword: 'r', metrics: { serviceMonitor: { enabled: true } } };
    expect(() => new MySqlChart(new App(), 'y', monitorOnly)).toThrow(/values for release "y" are invalid/);
  });

  test('leaving out rootPassword is a type error (checked by tsc in npm test)', () => {
    const app = new App();
    // @ts-expect-error rootPassword is required
    expect(() => new MySqlChart(app, 'a', {})).toThrow(/values for release "a" are invalid/);
    // @ts-expect-error service.port is a number
    expect(() => new MySqlChart(app, 'b', { rootPassword: 'r', service: { port: 'abc' } })).toThrow();
  });

  test('untyped input with a bad value is a runtime error naming the path', () => {
    const untyped: unknown = JSON.parse('{"rootPassword":"r","persistence":{"size":"lots"}}');
    try {
      new MySqlChart(new App(), 'c', untyped as { rootPassword: string });
      throw new Error('expected a failure');
    } catch (err) {
      const failure = (err as { kcFailure?: { issues: { path: (string | number)[]; message: string }[] } }).kcFailure;
      expect(failure?.issues).toEqual([{ path: ['persistence', 'size'], code: 'invalid_format', message: 'must be a Kubernetes quantity such as 4Gi or 500m' }]);
    }
  });
});
