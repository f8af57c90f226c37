import path from 'node:path';
import type { RunFailure } from '../chart/protocol.js';
import { mapStack, userFrame, type LoadedBundle } from '../bundle/index.js';
import { KcError } from '../errors/index.js';
import { formatPath, layerOf, type PathSegment } from '../values/index.js';
import { kcRoot } from '../kc-root.js';
import type { HostRecord } from './host.js';

/** What is needed to explain a failed run to the user. */
export interface FailureContext {
  records: Map<string, HostRecord>;
  keyedByRelease: boolean;
  loaded: LoadedBundle<unknown>;
  cwd: string;
}

function valuesError(failure: RunFailure, fc: FailureContext): KcError {
  const release = failure.release ?? '';
  const prov = fc.records.get(release)?.provenance;
  const details = (failure.issues ?? []).map((issue) => {
    const shown: PathSegment[] = fc.keyedByRelease ? [release, ...issue.path] : issue.path;
    const layer = prov && layerOf(prov, issue.path);
    const missing = /received undefined/.test(issue.message);
    const where = missing && !layer ? 'required, and no layer sets it' : `set by ${layer ?? 'chart defaults'}`;
    return `${formatPath(shown) || '(root)'}: ${issue.message.replace(/^Invalid input: /, '')} (${where})`;
  });
  const example = fc.keyedByRelease ? `--set ${release}.key=value` : '--set key=value';
  return new KcError('VALUES_INVALID', `values for release "${release}" are invalid`, {
    details,
    hint: `fix each value in the layer named (or override it with ${example}); \`kc show values\` prints the expected shape`,
  });
}

/** Turns a bundle's failure report into a KcError naming the release, construct path and source line. */
export function failureToError(failure: RunFailure, fc: FailureContext): KcError {
  if (failure.kind === 'values') return valuesError(failure, fc);
  if (failure.kind === 'app') {
    return new KcError('CHART_INVALID', failure.message, { hint: 'see the README section "Writing an app" for the expected exports' });
  }
  const frames = failure.stack ? mapStack(failure.stack, fc.loaded) : [];
  const frame = userFrame(frames, kcRoot()) ?? frames[0];
  const at = frame ? `${path.relative(fc.cwd, frame.file)}:${frame.line}:${frame.column}` : undefined;
  const where = failure.constructPath ? ` while building ${failure.constructPath}` : '';
  return new KcError('CHART_FAILED', `chart code threw${where}: ${failure.message}`, {
    details: at ? [`at ${at}`] : [],
    hint: 'fix the chart or app code at the location shown',
  });
}
