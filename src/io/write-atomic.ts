// Write-then-rename, so that a concurrent reader (another kc) never sees a half-written file. A module of its own
// with only node builtins, so that the launcher's small bundle can use it too.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A name for a temporary file next to `file`, for write-then-rename. */
export function tempNameFor(file: string): string {
  return `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
}

/**
 * Writes a file atomically (write, then rename), creating its folder; the temporary file is gone on failure. `mode`
 * applies to a new file (e.g. 0o600: readable by the user only).
 */
export function writeFileAtomic(file: string, data: Buffer | string, mode?: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = tempNameFor(file);
  try {
    fs.writeFileSync(tmp, data, mode === undefined ? undefined : { mode });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
