import path from 'node:path';
import { parse } from 'yaml';
import { isKcError, KcError } from '../errors/index.js';
import type { FileSystem } from '../io/file-system.js';
import { MAX_VALUES_DEPTH, nestedDeeperThan } from './depth.js';
import { formatPath, isPlainObject } from './path.js';
import type { ValuesLayer } from './resolve.js';
import { parseSetFlag, type SetKind } from './set-parser.js';

/** A --set style flag as typed, in command-line order. */
export interface SetFlag {
  kind: SetKind;
  text: string;
}

/** Parses YAML or JSON values text; the top level must be a map (empty text is an empty map). */
export function parseValuesText(text: string, label: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    // The YAML parser recurses per level: a deep enough document overflows its stack, which it reports as a
    // parse error; that is a nesting limit, not the user's syntax.
    if (err instanceof RangeError || /Maximum call stack size exceeded/.test((err as Error).message)) throw tooDeep(label);
    throw new KcError('VALUES_FILE_INVALID', `${label} is not valid YAML: ${(err as Error).message.split('\n')[0]}`, {
      hint: 'fix the syntax at the line shown (values files are YAML or JSON)',
    });
  }
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new KcError('VALUES_FILE_INVALID', `${label} must hold a map of values at the top, not ${Array.isArray(value) ? 'a list' : typeof value}`, {
      hint: 'write values as `key: value` lines',
    });
  }
  if (nestedDeeperThan(value)) throw tooDeep(label);
  return value;
}

/** The most bytes one values input (-f, --set-file, valuesFiles) may hold: real values files are kilobytes. */
export const MAX_VALUES_BYTES = 8 * 1024 * 1024;

function tooLarge(shown: string, size: number): KcError {
  const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
  return new KcError('VALUES_FILE_INVALID', `${shown} is ${mib(size)} MiB, larger than the ${MAX_VALUES_BYTES / 1024 / 1024} MiB limit for values input`, {
    hint: 'values hold settings, not data: split the file, or keep large content out of values',
  });
}

function tooDeep(label: string): KcError {
  return new KcError('VALUES_FILE_INVALID', `${label} is nested deeper than ${MAX_VALUES_DEPTH} levels`, {
    hint: `flatten the values; they may nest at most ${MAX_VALUES_DEPTH} maps or lists deep`,
  });
}

/**
 * Reads a file a flag names (`shown`, e.g. `-f prod.yaml`), so that a missing file or a directory is blamed on the
 * flag (FILE_NOT_FOUND, USAGE), not on whatever reads it later.
 */
export function readFlagFile(fs: FileSystem, cwd: string, file: string, shown: string): string {
  if (file.trim() === '') throw new KcError('USAGE', `${shown.trim()} is empty: it must name a file`, { hint: 'give the path of a file' });
  const full = path.resolve(cwd, file);
  if (!fs.exists(full)) {
    throw new KcError('FILE_NOT_FOUND', `${shown}: file ${file} does not exist`, { hint: 'check the path; relative paths start at the current directory' });
  }
  try {
    // By size before reading: parsing 50 MB of YAML takes a minute and gigabytes (the limit names the file).
    const size = fs.size?.(full);
    if (size !== undefined && size > MAX_VALUES_BYTES) throw tooLarge(shown.endsWith(file) ? shown : `${shown}: ${file}`, size);
    return fs.readText(full);
  } catch (err) {
    if (isKcError(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new KcError('USAGE', `${shown}: ${file} is a directory, not a file`, { hint: 'give the path of a file' });
    if (code === 'EACCES' || code === 'EPERM') throw new KcError('USAGE', `${shown}: ${file} cannot be read (permission denied)`, { hint: 'check the file\'s permissions' });
    throw err;
  }
}

/** Reads -f files ('-' is standard input) into layers labelled `-f <file>`. */
export function fileLayers(fs: FileSystem, cwd: string, files: readonly string[], readStdin: () => string): ValuesLayer[] {
  return files.map((file) => {
    const label = `-f ${file}`;
    const text = file === '-' ? readStdin() : readFlagFile(fs, cwd, file, label);
    // Standard input has no size to check first; its text is refused before it is parsed.
    if (file === '-' && Buffer.byteLength(text) > MAX_VALUES_BYTES) throw tooLarge('-f - (standard input)', Buffer.byteLength(text));
    return { label, values: parseValuesText(text, file === '-' ? 'standard input' : file) };
  });
}

/** Parses every --set style flag, in order, into one layer (each entry keeps its own flag as its label). */
export function setLayer(flags: readonly SetFlag[]): ValuesLayer {
  return { label: '--set', sets: flags.flatMap((f) => parseSetFlag(f.kind, f.text)) };
}

/** Checks that every --set-file names a readable file before any chart runs (the chart would be blamed otherwise). */
export function checkSetFiles(fs: FileSystem, cwd: string, layer: ValuesLayer): void {
  for (const entry of layer.sets ?? []) {
    // Named by key and file: the file's name is not its (perhaps secret) contents.
    if (entry.value.type === 'file') readFlagFile(fs, cwd, entry.value.file, `--set-file ${formatPath(entry.path)}`);
  }
}
