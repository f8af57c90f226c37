// YAML reads `tag: 1.10` as the number 1.1 and `version: 2024.01` as 2024.1: the text the user wrote is gone by the
// time the schema refuses the number, so the detail line says how to keep it text.
import type { PathSegment } from '../values/index.js';

/** The advice for a number where the schema wants a string (`… quote it: tag: 1.10 is the number 1.1, tag: "1.10" is text`), else undefined. */
export function quoteHint(path: PathSegment[], message: string): string | undefined {
  if (!/expected string, received number/.test(message)) return undefined;
  const last = path[path.length - 1];
  const key = typeof last === 'string' && /^[A-Za-z0-9_.-]+$/.test(last) ? last : 'tag';
  return `if YAML wrote it, quote it: ${key}: 1.10 is the number 1.1, ${key}: "1.10" is text`;
}
