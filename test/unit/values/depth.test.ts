import { describe, expect, test } from '@jest/globals';
import { MAX_VALUES_DEPTH, nestedDeeperThan } from '../../../src/values/depth.js';

/** A map nested `levels` deep with a scalar at the bottom. */
const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe('nestedDeeperThan', () => {
  test('allows the limit and refuses one level more, for maps and lists alike', () => {
    expect(nestedDeeperThan(nested(MAX_VALUES_DEPTH))).toBe(false);
    expect(nestedDeeperThan(nested(MAX_VALUES_DEPTH + 1))).toBe(true);
    expect(nestedDeeperThan('scalar', 0)).toBe(false);
  });

  test('walks a tree far deeper than the stack allows without overflowing', () => {
    expect(nestedDeeperThan(nested(200_000))).toBe(true);
  });
});
