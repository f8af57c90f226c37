import { describe, expect, test } from '@jest/globals';
import { duplicateObjects } from '../../../src/synth/index.js';

const cm = (name: string, namespace?: string, apiVersion = 'v1', kind = 'ConfigMap') => ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });

describe('duplicateObjects', () => {
  test('an object with the same group, kind, namespace and name as an earlier one is reported with where it came first', () => {
    const items = [
      { release: 'a', object: cm('x', 'ns') },
      { release: 'b', object: cm('y', 'ns') },
      { release: 'b', object: cm('x', 'ns') },
      { release: 'c', object: cm('x', 'ns') },
    ];
    expect(duplicateObjects(items)).toEqual([
      { first: items[0], again: items[2] },
      { first: items[0], again: items[3] },
    ]);
  });

  test('another namespace, kind or API group makes a different object; the version does not', () => {
    const items = [
      { object: cm('x', 'ns') },
      { object: cm('x', 'other') },
      { object: cm('x', 'ns', 'v1', 'Secret') },
      { object: cm('web', 'ns', 'apps/v1', 'Deployment') },
      { object: cm('web', 'ns', 'extensions/v1beta1', 'Deployment') },
      { object: cm('web', 'ns', 'apps/v1beta2', 'Deployment') },
    ];
    expect(duplicateObjects(items)).toEqual([{ first: items[3], again: items[5] }]);
  });
});
