import type { BundleExports, KcHost, ReleaseOutput, RunResult } from '../chart/protocol.js';
import type { LoadedBundle } from '../bundle/index.js';
import { internalError, isKcError } from '../errors/index.js';
import { secretPaths, type PathSegment, type ValuesLayer } from '../values/index.js';
import { failureToError, unknownValuesError } from './failure.js';
import { createHost } from './host.js';
import { normalizeObject } from './normalize.js';
import { sortForInstall, type KubeObject } from './order.js';
import { orderReleases } from './release-order.js';
import { compareText } from '../compare-text.js';

/** A release as synthesized: objects normalized and in install order, with secret paths and provenance. */
export interface SynthRelease extends ReleaseOutput {
  namespace?: string;
  objects: KubeObject[];
  secretPaths: PathSegment[][];
  /** Formatted value path → the layer that set it. */
  provenance: Record<string, string>;
  /** The digest a revision of this render would carry (set by the synth action). */
  digest?: string;
}

/** How to run a loaded bundle. */
export interface RunOptions {
  env?: string;
  namespace?: string;
  layers: ValuesLayer[];
  keyedByRelease: boolean;
  release?: string;
  readText: (file: string) => string;
  cwd: string;
  /** Runs the bundle's `run` elsewhere (a chart worker); on this thread when unset. */
  run?: (host: KcHost, release?: string) => Promise<RunResult>;
}

/** Runs a loaded app or chart bundle with the given value layers and returns ordered, normalized releases. */
export async function runBundle(loaded: LoadedBundle<BundleExports>, options: RunOptions): Promise<SynthRelease[]> {
  const { host, records } = createHost(options);
  let result: RunResult;
  try {
    const { release } = options;
    result = await (options.run ? options.run(host, release) : loaded.exports.run({ host, release }));
  } catch (err) {
    throw isKcError(err) ? err : internalError(err);
  }
  if (!result.ok) {
    throw failureToError(result.failure, { records, keyedByRelease: options.keyedByRelease, loaded, cwd: options.cwd });
  }
  loaded.afterRun?.();
  const unknown = unknownValuesError({ records, keyedByRelease: options.keyedByRelease });
  if (unknown) throw unknown;
  const releases = result.releases.map((r): SynthRelease => {
    const record = records.get(r.name);
    return {
      ...r,
      namespace: options.namespace,
      objects: sortForInstall(r.objects.map((o) => normalizeObject(o as KubeObject, options.namespace))),
      secretPaths: secretPaths(record?.jsonSchema),
      provenance: Object.fromEntries(
        [...(record?.provenance ?? new Map<string, string>())].sort(([a], [b]) => compareText(a, b)),
      ),
    };
  });
  return orderReleases(releases);
}

