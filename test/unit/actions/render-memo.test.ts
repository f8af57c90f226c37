import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  MEMO_LIMIT,
  MEMO_SLACK,
  memoKey,
  readMemo,
  trackingReader,
  writeMemo,
  type RenderInputs,
} from '../../../src/actions/render-memo.js';

let cacheDir: string;
beforeEach(() => {
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-memo-'));
});
afterEach(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

const inputs: RenderInputs = { mode: 'chart', source: 'abc', release: 'r', namespace: 'ns', layers: [{ label: '--set', values: { a: 1 } }] };
const memo = { releases: [{ name: 'r', digest: 'd1' }], files: [] as [string, string][] };

describe('render memo', () => {
  test('the key changes with every input', () => {
    const keys = new Set([
      memoKey(inputs),
      memoKey({ ...inputs, mode: 'project' }),
      memoKey({ ...inputs, source: 'abd' }),
      memoKey({ ...inputs, release: 'q' }),
      memoKey({ ...inputs, env: 'prod' }),
      memoKey({ ...inputs, namespace: 'other' }),
      memoKey({ ...inputs, layers: [{ label: '--set', values: { a: 2 } }] }),
      memoKey({ ...inputs, yields: { r: { Deployment: ['spec.replicas'] } } }),
    ]);
    expect(keys.size).toBe(8);
    expect(memoKey({ ...inputs })).toBe(memoKey(inputs));
  });

  test('round-trips, and is void once a file it read changes or disappears', () => {
    const file = path.join(cacheDir, 'value.txt');
    fs.writeFileSync(file, 'one');
    const reader = trackingReader((f) => fs.readFileSync(path.resolve(cacheDir, f), 'utf8'), cacheDir);
    expect(reader.readText('value.txt')).toBe('one');
    writeMemo(cacheDir, 'k', { ...memo, files: reader.files() });
    expect(readMemo(cacheDir, 'k')?.releases).toEqual(memo.releases);
    fs.writeFileSync(file, 'two');
    expect(readMemo(cacheDir, 'k')).toBeUndefined();
    fs.writeFileSync(file, 'one');
    expect(readMemo(cacheDir, 'k')).toBeDefined();
    fs.rmSync(file);
    expect(readMemo(cacheDir, 'k')).toBeUndefined();
  });

  test("memos are the user's only, also in a folder an older kc made readable to others", () => {
    const dir = path.join(cacheDir, 'renders');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    writeMemo(cacheDir, 'k', memo);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'k.json')).mode & 0o777).toBe(0o600);
    expect(readMemo(cacheDir, 'k')?.releases).toEqual(memo.releases);
  });

  test('an unknown key or a damaged file is no memo', () => {
    expect(readMemo(cacheDir, 'missing')).toBeUndefined();
    fs.mkdirSync(path.join(cacheDir, 'renders'));
    fs.writeFileSync(path.join(cacheDir, 'renders', 'bad.json'), '{"releases": [');
    expect(readMemo(cacheDir, 'bad')).toBeUndefined();
  });

  test(`keeps ${MEMO_LIMIT} memos, dropping the oldest once ${MEMO_SLACK} more were written`, () => {
    const dir = path.join(cacheDir, 'renders');
    for (let i = 0; i < MEMO_LIMIT + MEMO_SLACK; i++) writeMemo(cacheDir, `k${i}`, memo);
    expect(fs.readdirSync(dir).length).toBe(MEMO_LIMIT + MEMO_SLACK); // not trimmed on every write
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(dir, 'k0.json'), old, old);
    writeMemo(cacheDir, 'newest', memo);
    expect(fs.readdirSync(dir).length).toBe(MEMO_LIMIT);
    expect(readMemo(cacheDir, 'k0')).toBeUndefined();
    expect(readMemo(cacheDir, 'newest')).toBeDefined();
  });

  test('an unwritable cache is not an error', () => {
    const blocked = path.join(cacheDir, 'file-not-dir');
    fs.writeFileSync(blocked, '');
    expect(() => writeMemo(blocked, 'k', memo)).not.toThrow();
  });
});
