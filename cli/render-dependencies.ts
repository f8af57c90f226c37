import type { DependencyUpdateResult } from '../src/actions/dependency.js';
import { safe } from './terminal-safe.js';

/** What --dependency-update locked, one `Locked NAME VERSION (RANGE from REPOSITORY)` line each (for stderr). */
export function renderLocked(result: DependencyUpdateResult | undefined): string {
  return (result?.dependencies ?? [])
    .map((d) => safe`Locked ${d.name} ${d.version} (${d.range} from ${d.repository})\n`)
    .join('');
}
