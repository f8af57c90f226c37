import type { KcHost } from '../chart/protocol.js';
import { formatPath, layerForRelease, resolveValues, unknownKeys, type JsonSchema, type PathSegment, type Provenance, type ReadText, type ValuesLayer } from '../values/index.js';

/** What the host remembers of each release it resolved values for. */
export interface HostRecord {
  provenance: Provenance;
  jsonSchema: JsonSchema;
  /** Values the schema does not declare (the chart would drop them), with the layer that set each. */
  unknown: { path: PathSegment[]; known: string[]; layer: string }[];
}

/** The layer that set `path` or, for a map the schema does not know, the first value inside it. */
function layerSetting(prov: Provenance, path: PathSegment[]): string {
  const key = formatPath(path);
  for (const [k, label] of prov) if (k === key || k.startsWith(`${key}.`) || k.startsWith(`${key}[`)) return label;
  for (let n = path.length - 1; n > 0; n--) {
    const label = prov.get(formatPath(path.slice(0, n)));
    if (label) return label;
  }
  return 'values';
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
      const lenient = new Set(layers.filter((l) => l.lenient).map((l) => l.label));
      const unknown = unknownKeys(jsonSchema, resolved.values)
        .map((u) => ({ ...u, layer: layerSetting(resolved.provenance, u.path) }))
        .filter((u) => !lenient.has(u.layer));
      records.set(request.release, { provenance: resolved.provenance, jsonSchema, unknown });
      return { values: resolved.values };
    },
  };
  return { host, records };
}
