import { describe, expect, test } from '@jest/globals';
import { KcError } from '../../../src/errors/index.js';
import { withReuseHint } from '../../../src/actions/release-options.js';

describe('withReuseHint', () => {
  test('a values error keeps its code, message and details and names --reuse-values', () => {
    const err = new KcError('VALUES_INVALID', 'values for release "my" are invalid', {
      details: ['rootPassword: expected string, received undefined (required, and no layer sets it)'],
      hint: 'fix each value',
    });
    const out = withReuseHint(err) as KcError;
    expect(out.code).toBe('VALUES_INVALID');
    expect(out.message).toBe(err.message);
    expect(out.details).toEqual(err.details);
    expect(out.hint).toContain('pass --reuse-values');
  });

  test('any other error passes through unchanged', () => {
    const other = new KcError('CHART_FAILED', 'chart code threw');
    expect(withReuseHint(other)).toBe(other);
    const plain = new Error('boom');
    expect(withReuseHint(plain)).toBe(plain);
  });
});
