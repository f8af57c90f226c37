import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileCiphertextStore } from '../../../src/gitops/ciphertext-store.js';

const ID = 'a'.repeat(64);

describe('fileCiphertextStore', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-sops-store-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('keeps one HMAC key per machine, private to the user, and entries across processes', () => {
    const sops = path.join(dir, 'sops');
    const first = fileCiphertextStore(sops);
    const key = first.key();
    expect(key).toHaveLength(32);
    expect(fs.statSync(path.join(sops, 'hmac.key')).mode & 0o077).toBe(0);
    first.put(ID, '{"x":1}');
    const second = fileCiphertextStore(sops);
    expect(second.key().equals(key)).toBe(true);
    expect(second.get(ID)).toBe('{"x":1}');
    expect(fs.statSync(path.join(sops, `${ID}.json`)).mode & 0o077).toBe(0);
    expect(fs.readdirSync(sops).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a missing entry or an id that is not a hash reads as nothing, and writes nothing', () => {
    const store = fileCiphertextStore(path.join(dir, 'sops'));
    expect(store.get(ID)).toBeUndefined();
    store.put('../escape', 'x');
    expect(store.get('../escape')).toBeUndefined();
    expect(fs.existsSync(path.join(dir, 'escape.json'))).toBe(false);
  });

  test('an unwritable cache costs the reuse, not the publish', () => {
    const file = path.join(dir, 'not-a-dir');
    fs.writeFileSync(file, '');
    const store = fileCiphertextStore(path.join(file, 'sops'));
    expect(store.key()).toHaveLength(32);
    expect(() => store.put(ID, 'x')).not.toThrow();
    expect(store.get(ID)).toBeUndefined();
  });
});
