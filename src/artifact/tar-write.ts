import zlib from 'node:zlib';
import { Header } from 'tar';

/** One file to put in an archive. */
export interface ArchiveFile {
  path: string;
  data: Buffer;
  /** A directory entry (`path` ends in `/`, no data): some extractors create no parent folders themselves. */
  directory?: boolean;
}

/** Every entry's mtime: fixed, so the archive depends only on its contents (npm uses the same instant). */
export const FIXED_MTIME = new Date('1985-10-26T08:15:00.000Z');

const BLOCK = 512;

function headerBlock(file: ArchiveFile): Buffer {
  const block = Buffer.alloc(BLOCK);
  // Portable ustar: no owner names, uid/gid 0, one mode, one mtime; nothing of the packaging machine.
  const kind = file.directory ? { mode: 0o755, type: 'Directory' as const } : { mode: 0o644, type: 'File' as const };
  const size = file.data.length;
  const owner = { uid: 0, gid: 0, uname: '', gname: '' };
  const header = new Header({ path: file.path, ...kind, ...owner, size, mtime: FIXED_MTIME });
  if (header.encode(block, 0)) throw new Error(`archive entry name too long for a plain tar header: ${file.path}`);
  return block;
}

/** A plain tar stream of `files`, sorted by path, with normalized headers. */
export function tarOf(files: readonly ArchiveFile[]): Buffer {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const parts: Buffer[] = [];
  for (const file of sorted) {
    parts.push(headerBlock(file), file.data);
    const pad = (BLOCK - (file.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/**
 * A gzipped tar of `files` that is byte-identical for identical input: sorted entries, fixed headers,
 * and a gzip header without a timestamp and with the "unknown" OS byte.
 */
export function deterministicTgz(files: readonly ArchiveFile[]): Buffer {
  const gz = zlib.gzipSync(tarOf(files), { level: 9 });
  // Byte 9 of the gzip header names the OS that compressed it; pin it so every platform writes the same bytes.
  gz[9] = 0xff;
  return gz;
}
