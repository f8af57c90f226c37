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
