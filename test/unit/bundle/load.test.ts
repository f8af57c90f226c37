import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { afterAll, describe, expect, test } from '@jest/globals';
import { codeCacheFile, loadBundle } from '../../../src/bundle/load.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-load-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SOURCE = `"use strict";
const path = require('node:path');
let runs = 0;
module.exports = { base: path.basename(__filename), dir: __dirname, run: () => ++runs, self: this === module.exports };
`;
/** A bundle file at a new path (evaluation is cached per file, as require's is). */
function bundleFile(name: string, source = SOURCE): string {
  const file = path.join(dir, `${name}.cjs`);
  fs.writeFileSync(file, source);
  return file;
}
const load = (file: string) => loadBundle<{ base: string; dir: string; run: () => number; self: boolean }>({ file, mapFile: `${file}.map`, digest: 'd', sourceRoot: dir });

describe('loadBundle', () => {
  test('keeps the code cache beside the bundle, named for the V8 version and flags it was made under', () => {
    expect(codeCacheFile('/c/b.cjs')).toBe(`/c/b.cjs.${v8.cachedDataVersionTag().toString(16)}.v8cache`);
  });

  test('evaluates a CommonJS bundle as require would, once per file, and only when its exports are used', () => {
    const file = bundleFile('a');
    const loaded = load(file);
    expect(fs.existsSync(codeCacheFile(file))).toBe(false);
    expect(loaded.exports).toMatchObject({ base: 'a.cjs', dir, self: true });
    expect(loaded.exports.run()).toBe(1);
    expect(load(file).exports.run()).toBe(2);
  });

  test('after a run it keeps V8\'s code cache beside the bundle; a valid cache is used as is', () => {
    const file = bundleFile('b');
    const first = load(file);
    first.exports.run();
    first.afterRun?.();
    const cache = fs.readFileSync(codeCacheFile(file));
    expect(cache.length).toBeGreaterThan(0);
    // The same source elsewhere: V8 accepts the cache (it checks the source, not the path), so it is not rewritten.
    const copy = bundleFile('b-copy');
    fs.writeFileSync(codeCacheFile(copy), cache);
    const inode = fs.statSync(codeCacheFile(copy)).ino;
    const second = load(copy);
    expect(second.exports.run()).toBe(1);
    second.afterRun?.();
    expect(fs.statSync(codeCacheFile(copy)).ino).toBe(inode); // a rewrite renames a new file into place
  });

  test('a cache V8 rejects (damaged, or made for other source) is replaced, and the bundle still loads', () => {
    const file = bundleFile('c');
    fs.writeFileSync(codeCacheFile(file), 'not a code cache');
    const loaded = load(file);
    expect(loaded.exports.run()).toBe(1);
    const inode = fs.statSync(codeCacheFile(file)).ino;
    loaded.afterRun?.();
    expect(fs.statSync(codeCacheFile(file)).ino).not.toBe(inode);
    expect(fs.readFileSync(codeCacheFile(file), 'utf8')).not.toBe('not a code cache');
  });
});
