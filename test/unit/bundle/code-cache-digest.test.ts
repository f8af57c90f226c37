// V8 accepts a code cache made for any source of the same length; kc keys each cache file by its source's sha1, so a
// rebuild that only moved code (same length) compiles afresh instead of running the old code's cache (a crash).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { evaluateWithCodeCache, sourceText } from '../../../src/bundle/code-cache.js';

describe('evaluateWithCodeCache', () => {
  test('a cache written for other source of the same length is not used', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-code-cache-'));
    try {
      const file = path.join(dir, 'm.cjs');
      const cache = path.join(dir, 'm.v8cache');
      const a = 'function f() { return "aaaa"; }\nfunction g() { return 1; }\nmodule.exports = f() + g();\n';
      const b = 'function g() { return 1; }\nfunction f() { return "bbbb"; }\nmodule.exports = f() + g();\n';
      expect(a.length).toBe(b.length);
      fs.writeFileSync(file, a);
      const first = evaluateWithCodeCache(file, cache);
      expect(first.exports).toBe('aaaa1');
      first.saveCache();
      expect(evaluateWithCodeCache(file, cache).cacheWanted).toBe(false); // the same source uses its cache
      fs.writeFileSync(file, b);
      const second = evaluateWithCodeCache(file, cache);
      expect(second.cacheWanted).toBe(true);
      expect(second.exports).toBe('bbbb1');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sourceText', () => {
  test('decodes ASCII as Latin-1 (the same text) and anything else as UTF-8', () => {
    expect(sourceText(Buffer.from('const a = "x\\u2014y";\n'))).toBe('const a = "x\\u2014y";\n');
    expect(sourceText(Buffer.from('const a = "x—y é";\n', 'utf8'))).toBe('const a = "x—y é";\n');
  });

  test('a UTF-8 module evaluates with its text intact, before and with its cache', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-code-cache-'));
    try {
      const file = path.join(dir, 'm.cjs');
      const cache = path.join(dir, 'm.v8cache');
      fs.writeFileSync(file, 'module.exports = "a — é";\n');
      const first = evaluateWithCodeCache(file, cache);
      first.saveCache();
      const second = evaluateWithCodeCache(file, cache);
      expect([first.exports, second.exports, second.cacheWanted]).toEqual(['a — é', 'a — é', false]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
