import type { KcHost } from '../chart/protocol.js';
import { layerForRelease, resolveValues, type JsonSchema, type Provenance, type ReadText, type ValuesLayer } from '../values/index.js';

/** What the host remembers of each release it resolved values for. */
export interface HostRecord {
  provenance: Provenance;
  jsonSchema: JsonSchema;
}

/** A host for one run, and the records it keeps. */
export interface SynthHost {
  host: KcHost;
  records: Map<string, HostRecord>;
}

/** Options of a host: the override layers and whether they are keyed by release name (project mode). */
export interface HostOptions {
  env?: string;
  namespace?: string;
  layers: ValuesLayer[];
  keyedByRelease: boolean;
  readText: ReadText;
}

/** Creates the host a bundle calls back into to merge each release's values. */
export function createHost(options: HostOptions): SynthHost {
  const records = new Map<string, HostRecord>();
  const host: KcHost = {
    env: options.env,
    namespace: options.namespace,
    resolveValues(request) {
      const layers = options.keyedByRelease ? options.layers.map((l) => layerForRelease(l, request.release)) : options.layers;
      const jsonSchema = request.jsonSchema as JsonSchema;
      const resolved = resolveValues(jsonSchema, request.props, layers, options.readText);
      records.set(request.release, { provenance: resolved.provenance, jsonSchema });
      return { values: resolved.values };
    },
  };
  return { host, records };
}
