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
