import { describe, expect, test } from '@jest/globals';
import { compareText } from '../../src/compare-text.js';

describe('compareText', () => {
  test('orders by code unit, as no locale does: capitals before small letters, "-" before "." before "_"', () => {
    const names = ['web_1', 'web.1', 'b', 'web-1', 'B', 'a', 'web-1', 'A10', 'A9'];
    expect([...names].sort(compareText)).toEqual(['A10', 'A9', 'B', 'a', 'b', 'web-1', 'web-1', 'web.1', 'web_1']);
  });

  test('is zero only for equal strings', () => {
    expect(compareText('x', 'x')).toBe(0);
    expect(compareText('x', 'X')).toBe(1);
    expect(compareText('', 'a')).toBe(-1);
  });
});
