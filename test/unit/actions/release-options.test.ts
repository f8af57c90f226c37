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

  test('a values error without a missing required value keeps its own hint', () => {
    const typo = new KcError('VALUES_INVALID', 'values for release "w" are invalid', {
      details: ['replicacount: not a value of this chart; did you mean replicaCount? (set by --set replicacount=3)', 'replicaCount: expected int, received number (set by --set replicaCount=3.5)'],
      hint: 'rename or remove each value named',
    });
    expect(withReuseHint(typo)).toBe(typo);
  });

  test('any other error passes through unchanged', () => {
    const other = new KcError('CHART_FAILED', 'chart code threw');
    expect(withReuseHint(other)).toBe(other);
    const plain = new Error('boom');
    expect(withReuseHint(plain)).toBe(plain);
  });
});
