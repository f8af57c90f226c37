import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { RUNS_KEPT, ranBefore, rememberRun, runSignature } from '../../../src/bundle/repeated-runs.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-runs-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const cacheOf = (name: string) => path.join(root, name);

describe('repeated runs', () => {
  test('a signature changes with the bundle, the folder and any argument', () => {
    const base = runSignature('d1', '/w', ['r', 'chart', '--set', 'a=1']);
    expect(runSignature('d1', '/w', ['r', 'chart', '--set', 'a=1'])).toBe(base);
    expect(runSignature('d2', '/w', ['r', 'chart', '--set', 'a=1'])).not.toBe(base);
    expect(runSignature('d1', '/x', ['r', 'chart', '--set', 'a=1'])).not.toBe(base);
    expect(runSignature('d1', '/w', ['r', 'chart', '--set', 'a=2'])).not.toBe(base);
    expect(runSignature('d1', '/w', ['r', 'chart', '--set', 'a', '=1'])).not.toBe(base); // not joined into one text
  });

  test('a remembered run is found again; others and an empty cache are not', () => {
    const cache = cacheOf('found');
    expect(ranBefore(cache, 'a')).toBe(false);
    rememberRun(cache, 'a');
    rememberRun(cache, 'b');
    // Signatures hash the arguments (--set secrets too): the file is the user's only.
    expect(fs.statSync(path.join(cache, 'bundles', 'repeated-runs.json')).mode & 0o777).toBe(0o600);
    expect([ranBefore(cache, 'a'), ranBefore(cache, 'b'), ranBefore(cache, 'c')]).toEqual([true, true, false]);
  });

  test(`keeps the last ${RUNS_KEPT}, a run remembered again counting as recent`, () => {
    const cache = cacheOf('bounded');
    for (let i = 0; i < RUNS_KEPT; i++) rememberRun(cache, `s${i}`);
    rememberRun(cache, 's0'); // used again: now the most recent
    rememberRun(cache, 'new');
    expect(ranBefore(cache, 's0')).toBe(true);
    expect(ranBefore(cache, 's1')).toBe(false); // the oldest then
    expect(ranBefore(cache, 'new')).toBe(true);
    const file = path.join(cache, 'bundles', 'repeated-runs.json');
    expect((JSON.parse(fs.readFileSync(file, 'utf8')) as string[]).length).toBe(RUNS_KEPT);
  });

  test('a damaged file counts as no runs, and is replaced by the next one remembered', () => {
    const cache = cacheOf('damaged');
    const file = path.join(cache, 'bundles', 'repeated-runs.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"not": "a list"');
    expect(ranBefore(cache, 'a')).toBe(false);
    fs.writeFileSync(file, '[1, "a", null]');
    expect(ranBefore(cache, 'a')).toBe(true);
    rememberRun(cache, 'b');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(['a', 'b']);
  });

  test('a cache that cannot be written only loses the guess', () => {
    const cache = cacheOf('readonly');
    fs.writeFileSync(cache, 'a file where the cache folder should be');
    expect(() => rememberRun(cache, 'a')).not.toThrow();
    expect(ranBefore(cache, 'a')).toBe(false);
  });
});
