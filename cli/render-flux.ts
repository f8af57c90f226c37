import type { FluxReleaseState } from '../src/gitops/flux-state.js';
import { safe } from './terminal-safe.js';

/** One line per release under Flux: its state, and Flux's reason and message when it is not ready. */
export function renderFluxStates(states: readonly FluxReleaseState[]): string {
  return states
    .map((s) => {
      const why = s.state === 'ready' ? '' : `${s.reason ? ` (${s.reason})` : ''}${s.message ? `: ${s.message}` : ''}`;
      const revision = s.appliedRevision ? ` at ${s.appliedRevision}` : '';
      return safe`${s.release}: ${s.state}${s.state === 'ready' ? revision : why}\n`;
    })
    .join('');
}
