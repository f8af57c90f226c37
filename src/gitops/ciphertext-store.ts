// The file-backed store of published SOPS ciphertexts: `<cache>/sops/`, private to the user.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CiphertextStore } from './sops-reuse.js';

const KEY_BYTES = 32;
const ID = /^[0-9a-f]{64}$/;

/** Writes a file whole or not at all (a temporary file renamed into place), readable by the user only. */
function writeAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, data, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * The store under `dir` (e.g. `~/.cache/kc/sops`): an HMAC key made once, and one JSON file per ciphertext. A cache
 * that cannot be written only costs a new encryption, never a failed publish.
 */
export function fileCiphertextStore(dir: string): CiphertextStore {
  let key: Buffer | undefined;
  const keyFile = path.join(dir, 'hmac.key');
  return {
    key() {
      if (key) return key;
      try {
        const existing = fs.readFileSync(keyFile);
        if (existing.length === KEY_BYTES) return (key = existing);
      } catch {
        /* made below */
      }
      const made = crypto.randomBytes(KEY_BYTES);
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        // Two publishes at once: the first key written wins, and both use it.
        fs.writeFileSync(keyFile, made, { mode: 0o600, flag: 'wx' });
      } catch {
        try {
          const existing = fs.readFileSync(keyFile);
          if (existing.length === KEY_BYTES) return (key = existing);
        } catch {
          /* an unwritable cache: this process's key only */
        }
      }
      return (key = made);
    },
    get(id) {
      if (!ID.test(id)) return undefined;
      try {
        return fs.readFileSync(path.join(dir, `${id}.json`), 'utf8');
      } catch {
        return undefined;
      }
    },
    put(id, text) {
      if (!ID.test(id)) return;
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        writeAtomic(path.join(dir, `${id}.json`), text);
      } catch {
        /* not kept: the next publish encrypts anew */
      }
    },
  };
}
