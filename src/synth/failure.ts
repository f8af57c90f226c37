import path from 'node:path';
import type { RunFailure } from '../chart/protocol.js';
import { mapStack, userFrame, type LoadedBundle } from '../bundle/index.js';
import { KcError } from '../errors/index.js';
import { formatPath, isUnder, layerOf, redactSetLabel, secretPaths, type PathSegment } from '../values/index.js';
import { kcRoot } from '../kc-root.js';
import { quoteHint } from './quote-hint.js';
import type { HostRecord } from './host.js';

/** What is needed to explain a failed run to the user. */
export interface FailureContext {
  records: Map<string, HostRecord>;
  keyedByRelease: boolean;
  loaded: LoadedBundle<unknown>;
  cwd: string;
}

/** How a values detail line says a required value has no layer setting it. */
export const UNSET_REQUIRED = 'required, and no layer sets it';

/** Detail lines for values a chart's schema does not declare, e.g. `replicacount: not a value of this chart; did you mean replicaCount? (set by --set …)`. */
function unknownDetails(release: string, fc: Pick<FailureContext, 'records' | 'keyedByRelease'>): string[] {
  return (fc.records.get(release)?.unknown ?? []).map((u) => {
    const shown: PathSegment[] = fc.keyedByRelease ? [release, ...u.path] : u.path;
    // The value is not shown: a misspelt secret key (`--set mysqlRootPassword=…`) carries a secret.
    return `${formatPath(shown)}: not a value of this chart${u.suggestion ? `; did you mean ${u.suggestion}?` : ''} (set by ${redactSetLabel(u.layer)})`;
  });
}

const UNKNOWN_HINT = 'rename or remove each value named: the chart would ignore it; `kc show values` lists the values a chart has';

/** The error for values the chart's schema does not declare, when there are any (the run itself succeeded). */
export function unknownValuesError(fc: Pick<FailureContext, 'records' | 'keyedByRelease'>): KcError | undefined {
  for (const release of [...fc.records.keys()].sort()) {
    const details = unknownDetails(release, fc);
    if (details.length > 0) return new KcError('VALUES_INVALID', `values for release "${release}" are invalid`, { details, hint: UNKNOWN_HINT });
  }
  return undefined;
}

function valuesError(failure: RunFailure, fc: FailureContext): KcError {
  const release = failure.release ?? '';
  const record = fc.records.get(release);
  const prov = record?.provenance;
  const secrets = secretPaths(record?.jsonSchema);
  const details = (failure.issues ?? []).map((issue) => {
    const shown: PathSegment[] = fc.keyedByRelease ? [release, ...issue.path] : issue.path;
    const set = prov && layerOf(prov, issue.path);
    // A secret's --set label would quote the (rejected) secret.
    const secret = secrets.some((p) => isUnder(issue.path, p));
    const layer = set && secret ? redactSetLabel(set) : set;
    const missing = /received undefined/.test(issue.message);
    const where = missing && !layer ? UNSET_REQUIRED : `set by ${layer ?? 'chart defaults'}`;
    const quote = quoteHint(issue.path, issue.message);
    const line = `${formatPath(shown) || '(root)'}: ${issue.message.replace(/^Invalid input: /, '')} (${where})`;
    return quote ? `${line}; ${quote}` : line;
  });
  const example = fc.keyedByRelease ? `--set ${release}.key=value` : '--set key=value';
  return new KcError('VALUES_INVALID', `values for release "${release}" are invalid`, {
    // A misspelt key often explains a "required" issue next to it (`--set rootpassword=x`).
    details: [...details, ...unknownDetails(release, fc)],
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
