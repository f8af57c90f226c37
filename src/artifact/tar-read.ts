// Reads an untrusted .tgz entirely in memory and refuses anything that could escape or exhaust the disk:
// nothing is written until every entry has been checked.
import zlib from 'node:zlib';
import { Header, Parser, type ReadEntry } from 'tar';
import { KcError } from '../errors/index.js';
import { formatSize } from './format.js';

/** Size limits of an archive. */
export interface ArchiveLimits {
  /** Compressed size. */
  maxArchiveBytes: number;
  /** Uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** Uncompressed size of one entry. */
  maxEntryBytes: number;
  maxEntries: number;
}

/** Defaults: 32 MiB compressed, 128 MiB expanded, 64 MiB per entry, 256 entries. */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 32 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
  maxEntryBytes: 64 * 1024 * 1024,
  maxEntries: 256,
};


function unsafe(label: string, reason: string): KcError {
  return new KcError('ARCHIVE_UNSAFE', `${label} is refused: ${reason}`, {
    hint: 'the archive was not made by `kc package`, or was tampered with; nothing was extracted',
  });
}

function corrupt(label: string, reason: string): KcError {
  return new KcError('ARCHIVE_CORRUPT', `${label} is not a readable chart archive: ${reason}`, {
    hint: 'the file is truncated or damaged; download or package it again',
  });
}

/** Why an entry path is unsafe, or undefined when it is a plain relative path inside the archive. */
export function unsafePathReason(entryPath: string): string | undefined {
  if (entryPath === '') return 'an entry has an empty name';
  if (entryPath.includes('\0')) return `entry "${entryPath}" has a NUL character in its name`;
  if (entryPath.includes('\\')) return `entry "${entryPath}" has a backslash in its name`;
  if (entryPath.startsWith('/') || /^[a-zA-Z]:/.test(entryPath)) return `entry "${entryPath}" has an absolute path`;
  const segments = entryPath.replace(/\/$/, '').split('/');
  if (segments.includes('..')) return `entry "${entryPath}" climbs out of the archive with ".."`;
  if (segments.some((s) => s === '' || s === '.')) return `entry "${entryPath}" has an empty or "." path segment`;
  return undefined;
}

function gunzip(archive: Buffer, label: string, limits: ArchiveLimits): Buffer {
  if (archive.length > limits.maxArchiveBytes) throw unsafe(label, `it is ${formatSize(archive.length)}, more than the ${formatSize(limits.maxArchiveBytes)} allowed`);
  if (archive.length < 2 || archive[0] !== 0x1f || archive[1] !== 0x8b) throw corrupt(label, 'it is not gzip-compressed');
  // Room for the tar headers and padding on top of the entries' own bytes.
  const maxOutputLength = limits.maxTotalBytes + (limits.maxEntries + 2) * 1024;
  try {
    return zlib.gunzipSync(archive, { maxOutputLength });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw unsafe(label, `it expands to more than ${formatSize(limits.maxTotalBytes)}`);
    throw corrupt(label, code === 'Z_BUF_ERROR' ? 'the gzip stream is truncated' : `gzip: ${(err as Error).message}`);
  }
}

/**
 * The regular files of a gzipped tar, by path. Refuses links, devices, absolute paths, `..`, duplicates,
 * too many or too large entries, and truncated or damaged archives.
 */
export async function readArchive(archive: Buffer, label: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<Map<string, Buffer>> {
  const tarBytes = gunzip(archive, label, limits);
  // A tar parser handed something other than tar would try to decompress it again; only plain tar goes in.
  if (tarBytes.length < 512 || !new Header(tarBytes, 0).cksumValid) throw corrupt(label, 'it does not contain a tar archive');
  const files = new Map<string, Buffer>();
  let total = 0;
  let count = 0;
  let refused: KcError | undefined;
  const parser = new Parser({ strict: true });
  const onEntry = (entry: ReadEntry) => {
    if (refused) return entry.resume();
    const reason = checkEntry(entry, files, limits, (total += entry.size ?? 0), ++count);
    if (reason) {
      refused = unsafe(label, reason);
      return entry.resume();
    }
    if (entry.type === 'Directory') return entry.resume();
    const chunks: Buffer[] = [];
    entry.on('data', (c: Buffer) => chunks.push(c));
    entry.on('end', () => files.set(entry.path, Buffer.concat(chunks)));
  };
  await new Promise<void>((resolve, reject) => {
    parser.on('entry', onEntry);
    parser.on('error', (err: Error) => reject(corrupt(label, err.message)));
    parser.on('end', () => resolve());
    parser.end(tarBytes);
  });
  if (refused) throw refused;
  return files;
}

function checkEntry(entry: ReadEntry, seen: Map<string, Buffer>, limits: ArchiveLimits, total: number, count: number): string | undefined {
  if (count > limits.maxEntries) return `it has more than ${limits.maxEntries} entries`;
  const pathReason = unsafePathReason(entry.path);
  if (pathReason) return pathReason;
  if (entry.type === 'SymbolicLink') return `entry "${entry.path}" is a symbolic link (to ${entry.linkpath})`;
  if (entry.type === 'Link') return `entry "${entry.path}" is a hard link (to ${entry.linkpath})`;
  if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile' && entry.type !== 'Directory') {
    return `entry "${entry.path}" is a ${entry.type}, not a regular file`;
  }
  const size = entry.size ?? 0;
  if (size > limits.maxEntryBytes) return `entry "${entry.path}" is ${formatSize(size)}, more than the ${formatSize(limits.maxEntryBytes)} allowed per entry`;
  if (total > limits.maxTotalBytes) return `its entries add up to more than ${formatSize(limits.maxTotalBytes)}`;
  if (seen.has(entry.path.replace(/\/$/, ''))) return `entry "${entry.path}" appears twice`;
  return undefined;
}
