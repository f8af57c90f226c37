import path from 'node:path';
import { parse } from 'yaml';
import { KcError } from '../errors/index.js';
import type { FileSystem } from '../io/file-system.js';
import { isPlainObject } from './path.js';
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
  return value;
}

/** Reads -f files ('-' is standard input) into layers labelled `-f <file>`. */
export function fileLayers(fs: FileSystem, cwd: string, files: readonly string[], readStdin: () => string): ValuesLayer[] {
  return files.map((file) => {
    const label = `-f ${file}`;
    const text = file === '-' ? readStdin() : fs.readText(path.resolve(cwd, file));
    return { label, values: parseValuesText(text, file === '-' ? 'standard input' : file) };
  });
}

/** Parses every --set style flag, in order, into one layer (each entry keeps its own flag as its label). */
export function setLayer(flags: readonly SetFlag[]): ValuesLayer {
  return { label: '--set', sets: flags.flatMap((f) => parseSetFlag(f.kind, f.text)) };
}
