import { describe, expect, test } from '@jest/globals';
import { ApiObject, Chart } from 'cdk8s';
import { runApp } from '../../../src/chart/runner.js';
import type { KcHost } from '../../../src/chart/protocol.js';

const host: KcHost = { resolveValues: () => ({ ok: true, values: {}, provenance: {} }) as never };
const configMap = (scope: Chart, name: string) => new ApiObject(scope, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
const names = (objects: Record<string, unknown>[]) => objects.map((o) => (o.metadata as { name: string }).name).sort();

describe('runApp', () => {
  test('every release has its own objects and those of its nested charts, each once', () => {
    const result = runApp((app: Chart) => {
      const first = new Chart(app, 'first');
      configMap(first, 'a');
      configMap(first, 'b');
      configMap(new Chart(first, 'inner'), 'c');
      const second = new Chart(app, 'second');
      configMap(second, 'd');
      configMap(new Chart(second, 'inner'), 'e');
    }, { host });
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.releases.map((r) => [r.name, names(r.objects)])).toEqual([
      ['first', ['a', 'b', 'c']],
      ['second', ['d', 'e']],
    ]);
  });

  test('objects are plain JSON, as cdk8s renders them', () => {
    const result = runApp((app: Chart) => {
      new ApiObject(new Chart(app, 'only'), 'x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { k: 'v' } });
    }, { host });
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.releases[0].objects).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { k: 'v' } }]);
  });
});
