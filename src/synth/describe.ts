import type { ChartDescription } from '../chart/protocol.js';
import { ChartWorker, loadBundle, type BuiltBundle, type ChartWorkerOptions } from '../bundle/index.js';
import { KcError } from '../errors/index.js';
import { failureToError } from './failure.js';

/** What a chart bundle says about itself (name, version, values schema), asked on a chart worker thread. */
export async function describeBundle(
  built: BuiltBundle,
  label: string,
  options: ChartWorkerOptions,
): Promise<ChartDescription> {
  const answer = await new ChartWorker(options).describe(built);
  if (answer.ok) return answer.description;
  if (answer.failure.kind === 'app') {
    throw new KcError('CHART_INVALID', `${label}: ${answer.failure.message}`, {
      hint: 'export a class extending KcChart with `static readonly meta = { name, version, schema }`',
    });
  }
  // The module itself threw as it loaded: reported with the chart's file:line, as a failed render is.
  const context = { records: new Map(), keyedByRelease: false, loaded: loadBundle(built), cwd: options.cwd };
  throw failureToError(answer.failure, context);
}
