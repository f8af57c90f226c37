import fs from 'node:fs';
import path from 'node:path';
import { KcError } from '../errors/index.js';

/** The file operations kc's logic needs; injected so it can be tested without a disk. */
export interface FileSystem {
  exists(file: string): boolean;
  readText(file: string): string;
  /** The file's size in bytes, so that input can be refused before it is read (absent: no size check). */
  size?(file: string): number;
  writeText(file: string, text: string): void;
}

/** The real file system; a missing file becomes FILE_NOT_FOUND. */
export const nodeFileSystem: FileSystem = {
  exists: (file) => fs.existsSync(file),
  readText(file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new KcError('FILE_NOT_FOUND', `file not found: ${file}`, { hint: 'check the path; relative paths start at the current directory' });
      }
      throw err;
    }
  },
  size: (file) => fs.statSync(file).size,
  writeText(file, text) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  },
};
