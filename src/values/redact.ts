import { getPath, type PathSegment } from './path.js';
import { setAtPath } from './merge.js';

/** The text shown in place of a secret value. */
export const REDACTED = '<redacted>';

/** A deep copy of `values` with every present secret path replaced by a placeholder. */
export function redactSecrets(values: Record<string, unknown>, paths: readonly PathSegment[][]): Record<string, unknown> {
  const copy = structuredClone(values);
  for (const path of paths) {
    if (path.length > 0 && getPath(copy, path) !== undefined) setAtPath(copy, [...path], REDACTED);
  }
  return copy;
}

/** A `--set` layer label (`--set key=value`) with the value hidden: for secrets, and keys that may be misspelt ones. */
export function redactSetLabel(label: string): string {
  const m = /^(--set[-a-z]*) ([^=]*)=/.exec(label);
  return m ? `${m[1]} ${m[2]}=${REDACTED}` : label;
}
