// Columns on a terminal: colors take none, East Asian wide characters two, combining marks none; a cut text ends in
// "…" within the columns given, never splitting a wide character or an escape sequence.
import { describe, expect, test } from '@jest/globals';
import { textWidth, truncateToWidth } from '../../cli/text-width.js';

describe('textWidth and truncateToWidth', () => {
  test('colors take no columns, wide characters two, combining marks none', () => {
    expect(textWidth('\u001b[33m…\u001b[39m ab')).toBe(4);
    expect(textWidth('日本語')).toBe(6);
    expect(textWidth('e\u0301')).toBe(1);
  });

  test('text that fits is kept; text that does not ends in "…" at most `columns` wide', () => {
    expect(truncateToWidth('abc', 3)).toBe('abc');
    expect(truncateToWidth('abcdef', 4)).toBe('abc…');
    // A wide character that would straddle the edge is left out whole.
    expect(truncateToWidth('ab日本', 4)).toBe('ab…');
    expect(textWidth(truncateToWidth('ab日本', 4))).toBeLessThanOrEqual(4);
    expect(truncateToWidth('\u001b[32m✓\u001b[39m long line', 5)).toBe('\u001b[32m✓\u001b[39m lo…\u001b[0m');
    expect(truncateToWidth('abc', 0)).toBe('');
  });
});
