// CRDs are applied first, waited for, and upgraded; their custom resources follow in the same deploy.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { historyOf, kcIn } from './helpers/kc.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

let ns: TestNamespace;
let chart: TempProject;
const group = `t${Date.now().toString(36)}.kc.test`;

// `undeclared` puts a field in the Widget that its CRD's schema does not declare.
const chartSource = (withColor: boolean, undeclared = false) => `import type { Construct } from 'constructs';
import { z } from 'zod';
import { ApiObject } from 'cdk8s';
import { KcChart, type ChartMeta } from 'kc/chart';

const schema = z.object({});
const props: Record<string, unknown> = { size: { type: 'string' }${withColor ? ", color: { type: 'string' }" : ''} };

export class Widgets extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'widgets', version: '${withColor ? '2' : '1'}.0.0', schema };
  constructor(scope: Construct, id: string, p: z.input<typeof schema>) {
    super(scope, id, Widgets.meta, p);
    new ApiObject(this, 'crd', {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.${group}' },
      spec: {
        group: '${group}', scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: props } } } } }],
      },
    });
    new ApiObject(this, 'widget', {
      apiVersion: '${group}/v1', kind: 'Widget', metadata: { name: 'w1' },
      spec: { size: 'L'${withColor ? ", color: 'blue'" : ''}${undeclared ? ", shade: 'dark'" : ''} },
    });
  }
}
export default Widgets;
`;

beforeAll(async () => {
  ns = await freshNamespace('crd');
  chart = tempProject({ 'index.ts': chartSource(false) });
});
afterAll(async () => {
  await ns.cleanup();
  chart.remove();
  const ext = makeKubeConfig().makeApiClient(k8s.ApiextensionsV1Api);
  await ext.deleteCustomResourceDefinition({ name: `widgets.${group}` }).catch(() => undefined);
});

describe('CRDs', () => {
  test('a CRD and its custom resource install in one operation', async () => {
    const run = await kcIn(ns.name, ['install', 'widgets', chart.dir]);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    const objects = k8s.KubernetesObjectApi.makeApiClient(makeKubeConfig());
    const w = await objects.read({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1', namespace: ns.name } });
    expect((w as unknown as { spec: { size: string } }).spec.size).toBe('L');
  }, 60_000);

  test('a changed CRD schema is upgraded before the resources that need it', async () => {
    chart.write({ 'index.ts': chartSource(true) });
    const run = await kcIn(ns.name, ['upgrade', 'widgets', chart.dir]);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    const objects = k8s.KubernetesObjectApi.makeApiClient(makeKubeConfig());
    const w = await objects.read({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1', namespace: ns.name } });
    expect((w as unknown as { spec: { color: string } }).spec.color).toBe('blue');
    expect((await historyOf(ns.name, 'widgets')).map((h) => h.chart.version)).toEqual(['1.0.0', '2.0.0']);
  }, 60_000);

  test('a field the CRD does not declare is refused, naming it; the revision is failed, not pending', async () => {
    chart.write({ 'index.ts': chartSource(true, true) });
    const run = await kcIn(ns.name, ['upgrade', 'widgets', chart.dir]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`apply Widget/${ns.name}/w1:`);
    expect(run.stderr).toContain('.spec.shade: field not declared in schema');
    const history = await historyOf(ns.name, 'widgets');
    expect(history.map((h) => h.status)).toEqual(['superseded', 'deployed', 'failed']);
    const objects = k8s.KubernetesObjectApi.makeApiClient(makeKubeConfig());
    const w = await objects.read({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1', namespace: ns.name } });
    expect((w as unknown as { spec: Record<string, string> }).spec).toEqual({ size: 'L', color: 'blue' });
  }, 60_000);

  test('uninstall keeps the CRD unless --include-crds', async () => {
    const run = await kcIn(ns.name, ['uninstall', 'widgets']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`kept CustomResourceDefinition/widgets.${group}`);
    const ext = makeKubeConfig().makeApiClient(k8s.ApiextensionsV1Api);
    expect((await ext.readCustomResourceDefinition({ name: `widgets.${group}` })).metadata?.name).toBe(`widgets.${group}`);
  }, 60_000);
});
