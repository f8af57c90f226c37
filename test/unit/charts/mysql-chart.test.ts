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
