import type { BundleExports, ReleaseOutput } from '../chart/protocol.js';
import type { LoadedBundle } from '../bundle/index.js';
import { internalError } from '../errors/index.js';
import { secretPaths, type PathSegment, type ValuesLayer } from '../values/index.js';
import { failureToError, unknownValuesError } from './failure.js';
import { createHost } from './host.js';
import { normalizeObject } from './normalize.js';
import { sortForInstall, type KubeObject } from './order.js';
import { orderReleases } from './release-order.js';

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
}

/** Runs a loaded app or chart bundle with the given value layers and returns ordered, normalized releases. */
export function runBundle(loaded: LoadedBundle<BundleExports>, options: RunOptions): SynthRelease[] {
  const { host, records } = createHost(options);
  let result;
  try {
    result = loaded.exports.run({ host, release: options.release });
  } catch (err) {
    throw internalError(err);
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
        [...(record?.provenance ?? new Map<string, string>())].sort(([a], [b]) => a.localeCompare(b)),
      ),
    };
  });
  return orderReleases(releases);
}

