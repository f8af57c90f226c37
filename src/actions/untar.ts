import fs from 'node:fs';
import path from 'node:path';
import { KcError } from '../errors/index.js';
import { compareText } from '../compare-text.js';

/**
 * Writes an archive's files (already read by readArchive, which refused links, `..` and absolute paths) into
 * `dir`, which must not exist yet: into a temporary sibling first, renamed into place when complete.
 */
export function untarInto(files: ReadonlyMap<string, Buffer>, dir: string, label: string): void {
  if (fs.existsSync(dir)) {
    throw new KcError('USAGE', `cannot unpack ${label}: ${dir} already exists`, {
      hint: 'remove or rename it, or pass --untardir DIR to unpack elsewhere',
    });
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(dir), `.${path.basename(dir)}.tmp-`));
  try {
    for (const [name, data] of [...files].sort(([a], [b]) => compareText(a, b))) {
      const file = path.resolve(tmp, name);
      // The reader already refused unsafe names; this is the last line of defence before writing.
      if (!file.startsWith(tmp + path.sep)) {
        throw new KcError('ARCHIVE_UNSAFE', `refusing to write ${name} outside ${dir}`, {
          hint: 'the archive was tampered with',
        });
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, data, { mode: 0o644 });
    }
    fs.renameSync(tmp, dir);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
