import { describe, expect, test } from '@jest/globals';
import { quoteHint } from '../../../src/synth/quote-hint.js';

describe('quoteHint', () => {
  test('a number where a string is expected says to quote it, with the key', () => {
    expect(quoteHint(['image', 'tag'], 'Invalid input: expected string, received number')).toBe(
      'if YAML wrote it, quote it: tag: 1.10 is the number 1.1, tag: "1.10" is text',
    );
  });

  test('a path ending in an index or an odd key uses tag as the example', () => {
    expect(quoteHint(['versions', 0], 'Invalid input: expected string, received number')).toContain('tag: "1.10"');
  });

  test('other issues get no hint', () => {
    expect(quoteHint(['rootPassword'], 'Invalid input: expected string, received undefined')).toBeUndefined();
    expect(quoteHint(['replicaCount'], 'Invalid input: expected number, received string')).toBeUndefined();
  });
});
