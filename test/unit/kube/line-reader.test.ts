import { describe, expect, test } from '@jest/globals';
import { lineReader } from '../../../src/kube/line-reader.js';

describe('lineReader', () => {
  test('hands on each line as soon as its newline arrives, whatever the chunking', () => {
    const lines: string[] = [];
    const reader = lineReader((l) => lines.push(l));
    reader.push(Buffer.from('{"a":1}\n{"b"'));
    expect(lines).toEqual(['{"a":1}']);
    reader.push(Buffer.from(':2}\n\n{"c":3}'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
    reader.end();
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  test('keeps a UTF-8 character split across chunks whole', () => {
    const lines: string[] = [];
    const reader = lineReader((l) => lines.push(l));
    const bytes = Buffer.from('"é€"\n');
    for (const byte of bytes) reader.push(Buffer.from([byte]));
    reader.end();
    expect(lines).toEqual(['"é€"']);
  });

  test('a line longer than the limit throws instead of growing without bound', () => {
    const reader = lineReader(() => undefined, 10);
    expect(() => reader.push(Buffer.from('x'.repeat(11)))).toThrow('longer than 10 characters');
  });
});
