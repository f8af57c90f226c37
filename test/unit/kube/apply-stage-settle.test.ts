// applyStaged answers a refusal only after every request of the stage is answered: an undo or clean-up that reads
// the cluster next must see every object that landed.
import { describe, expect, test } from '@jest/globals';
import { applyStaged } from '../../../src/kube/apply.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { KcError } from '../../../src/errors/index.js';
import { FakeKube } from '../../helpers/fake-kube.js';
import { frozenClock } from '../../helpers/memory-session.js';

const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' } });

/** Refuses `bad` at once; every other apply lands after a few turns of the event loop. */
class SlowExceptOne extends FakeKube {
  override async apply(object: KubeObject, options: { fieldManager?: string }): Promise<KubeObject> {
    if (object.metadata?.name === 'bad') throw new KcError('OBJECT_INVALID', 'apply ConfigMap/bad: invalid');
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    return super.apply(object, options);
  }
}

describe('applyStaged', () => {
  test('a refused object fails the stage only once the other objects of the stage have landed', async () => {
    const client = new SlowExceptOne();
    const run = applyStaged(client, [cm('a'), cm('bad'), cm('c')], {
      release: 'ns/app',
      namespace: 'ns',
      ownershipChecked: true,
      clock: frozenClock,
    });
    await expect(run).rejects.toThrow('ConfigMap/bad');
    // Nothing is still in flight: both good objects are in the cluster when the error arrives.
    expect([...client.objects.values()].map((o) => o.metadata?.name).sort()).toEqual(['a', 'c']);
  });
});

/** Records each apply's start and end; every apply lands after a few turns of the event loop. */
class Timeline extends FakeKube {
  readonly events: string[] = [];
  override async apply(object: KubeObject, options: { fieldManager?: string }): Promise<KubeObject> {
    this.events.push(`start ${object.kind}`);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    this.events.push(`end ${object.kind}`);
    return super.apply(object, options);
  }
}

describe('applyStaged stages', () => {
  const of = (kind: string, apiVersion = 'v1'): KubeObject => ({
    apiVersion,
    kind,
    metadata: { name: 'x', namespace: 'ns' },
  });
  const options = { release: 'ns/app', namespace: 'ns', ownershipChecked: true, clock: frozenClock };

  test('kinds of one stage are in flight together, sent in install order', async () => {
    const client = new Timeline();
    await applyStaged(client, [of('Service'), of('ConfigMap'), of('Secret')], options);
    expect(client.events.slice(0, 3)).toEqual(['start Secret', 'start ConfigMap', 'start Service']);
  });

  test('a Deployment is sent only once its ServiceAccount was answered', async () => {
    const client = new Timeline();
    await applyStaged(client, [of('Deployment', 'apps/v1'), of('ServiceAccount')], options);
    expect(client.events).toEqual(['start ServiceAccount', 'end ServiceAccount', 'start Deployment', 'end Deployment']);
  });
});
