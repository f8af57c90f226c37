import { describe, expect, test } from '@jest/globals';
import type { OperationResult } from '../../src/actions/release-operation.js';
import { renderOperation } from '../../cli/render-operation.js';

const result: OperationResult = {
  release: 'db',
  namespace: 'ns',
  revision: 2,
  status: 'deployed',
  noChange: false,
  applied: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'ns', name: 'db' }],
  replaced: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'ns', name: 'db' }],
  pruned: [],
  left: [],
  hooks: [],
  description: 'Upgrade complete',
};

describe('renderOperation', () => {
  test('names each replaced object and why', () => {
    expect(renderOperation(result, false)).toContain('\n  replaced StatefulSet/ns/db: immutable field changed\n');
    expect(renderOperation({ ...result, replaced: [] }, false)).not.toContain('replaced');
  });
});
