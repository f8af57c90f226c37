// `kc show values`: defaults as YAML with descriptions, required keys on top, optional unset keys at the end.
import { describe, expect, test } from '@jest/globals';
import { valuesDocument } from '../../../src/values/index.js';

const schema = {
  type: 'object',
  required: ['password'],
  properties: {
    password: { type: 'string', description: 'Root password.', writeOnly: true },
    size: { type: 'string', default: '1Gi', description: 'Volume size.' },
    storageClass: { type: 'string', description: 'StorageClass; unset uses the default.' },
    mode: { enum: ['a', 'b'] },
    limits: { type: 'object', properties: { cpu: { type: ['string', 'null'] } } },
  },
};

describe('valuesDocument', () => {
  test('lists every value: defaults, required ones on top, optional ones commented out with their shape', () => {
    expect(valuesDocument(schema, { size: '1Gi', limits: {} })).toBe(
      [
        '# Required, no default (set these):',
        '#   password - Root password. (secret: never printed by kc)',
        '',
        '# Volume size.',
        'size: 1Gi',
        'limits: {}',
        '',
        '# Optional, no default (unset unless given):',
        '#   storageClass: <string> - StorageClass; unset uses the default.',
        '#   mode: <"a" | "b">',
        '#   limits.cpu: <string>',
        '',
      ].join('\n'),
    );
  });

  test('no optional block when every key has a default', () => {
    expect(valuesDocument({ type: 'object', properties: { a: { type: 'number' } } }, { a: 1 })).toBe('a: 1\n');
  });
});
