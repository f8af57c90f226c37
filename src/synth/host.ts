import type { KcHost } from '../chart/protocol.js';
import { formatPath, layerForRelease, resolveValues, suggestKey, unknownKeys, type JsonSchema, type PathSegment, type Provenance, type ReadText, type ValuesLayer } from '../values/index.js';

/** What the host remembers of each release it resolved values for. */
export interface HostRecord {
  provenance: Provenance;
  jsonSchema: JsonSchema;
  /** Values the schema does not declare (the chart would drop them), with the layer that set each. */
  unknown: { path: PathSegment[]; layer: string; suggestion?: string }[];
}

/** The layers that set `path`: itself or, for a map the schema does not know, the values inside it; else a parent. */
function layersSetting(prov: Provenance, path: PathSegment[]): string[] {
  const key = formatPath(path);
  const labels = [...prov].filter(([k]) => k === key || k.startsWith(`${key}.`) || k.startsWith(`${key}[`)).map(([, label]) => label);
  if (labels.length > 0) return [...new Set(labels)];
  for (let n = path.length - 1; n > 0; n--) {
    const label = prov.get(formatPath(path.slice(0, n)));
    if (label) return [label];
  }
  return ['values'];
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
      // Reported unless every layer that set the key is lenient; then it is named after a layer that is not.
      const unknown = unknownKeys(jsonSchema, resolved.values).flatMap((u) => {
        const strict = layersSetting(resolved.provenance, u.path).filter((label) => !lenient.has(label));
        if (strict.length === 0) return [];
        const suggestion = suggestKey(jsonSchema, u.path, request.chart.name);
        return [suggestion ? { ...u, layer: strict[0], suggestion } : { ...u, layer: strict[0] }];
      });
      records.set(request.release, { provenance: resolved.provenance, jsonSchema, unknown });
      return { values: resolved.values };
    },
  };
  return { host, records };
}
