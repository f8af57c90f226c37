import { describe, expect, test } from '@jest/globals';
import type { FileSystem } from '../../../src/io/file-system.js';
import { MAX_VALUES_BYTES, readFlagFile } from '../../../src/values/load-layers.js';

describe('readFlagFile', () => {
  test('refuses a file over the limit by its size, without reading it', () => {
    const reads: string[] = [];
    const fs: FileSystem = {
      exists: () => true,
      size: () => MAX_VALUES_BYTES + 1,
      readText: (file) => (reads.push(file), ''),
      writeText: () => undefined,
    };
    expect(() => readFlagFile(fs, '/p', 'huge.yaml', '-f huge.yaml')).toThrow(
      expect.objectContaining({ code: 'VALUES_FILE_INVALID', message: '-f huge.yaml is 8.0 MiB, larger than the 8 MiB limit for values input' }),
    );
    expect(reads).toEqual([]);
  });

  test('reads a file at the limit', () => {
    const fs: FileSystem = { exists: () => true, size: () => MAX_VALUES_BYTES, readText: () => 'a: 1', writeText: () => undefined };
    expect(readFlagFile(fs, '/p', 'ok.yaml', '-f ok.yaml')).toBe('a: 1');
  });
});
