// applyStaged with CRDs: custom resources wait until the API server's discovery serves their kind.
import { describe, expect, test } from '@jest/globals';
import { applyStaged } from '../../../src/kube/apply.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { FakeKube } from '../../helpers/fake-kube.js';
import { fakeClock } from '../../helpers/fake-clock.js';

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.test' },
  spec: {
    group: 'example.test',
    scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget' },
    versions: [{ name: 'v1', served: true, storage: true }],
  },
};
const widget: KubeObject = { apiVersion: 'example.test/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: {} };

/** A FakeKube whose CRDs are Established at once but whose discovery serves Widget only after `lag` lookups. */
class LaggingDiscovery extends FakeKube {
  lookups = 0;
  resets = 0;
  constructor(private readonly lag: number) {
    super();
  }
  override async apply(object: KubeObject, options: { fieldManager?: string }): Promise<KubeObject> {
    if (object.kind === 'Widget' && this.lookups <= this.lag) throw new Error('applied before discovery served Widget');
    const established = { conditions: [{ type: 'Established', status: 'True' }] };
    const stored = await super.apply(object, options);
    if (object.kind === 'CustomResourceDefinition') stored.status = established;
    return stored;
  }
  override async isNamespaced(apiVersion: string, kind: string): Promise<boolean | undefined> {
    if (kind !== 'Widget') return super.isNamespaced(apiVersion, kind);
    this.lookups++;
    return this.lookups > this.lag ? true : undefined;
  }
  override resetDiscovery(): void {
    this.resets++;
  }
}

const options = (clock = fakeClock()) => ({ release: 'ns/app', namespace: 'ns', clock, crdTimeoutMs: 5000 });

describe('applyStaged with CRDs', () => {
  test('a custom resource is applied only once discovery serves its kind, asking again after each pause', async () => {
    const client = new LaggingDiscovery(3);
    const clock = fakeClock();
    await applyStaged(client, [widget, crd], options(clock));
    expect(client.calls.filter((c) => c.startsWith('apply'))).toEqual([
      'apply CustomResourceDefinition/widgets.example.test',
      'apply Widget/w1',
    ]);
    expect(client.resets).toBeGreaterThanOrEqual(4);
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(3);
  });

  test('discovery that never serves the kind is a TIMEOUT naming it, and the resource is not applied', async () => {
    const client = new LaggingDiscovery(Number.MAX_SAFE_INTEGER);
    const run = applyStaged(client, [widget, crd], options());
    await expect(run).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringContaining('Widget in example.test/v1'),
    });
    expect(client.calls).not.toContain('apply Widget/w1');
  });
});
