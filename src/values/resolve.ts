import { coerceScalar } from './coerce.js';
import { defaultsOf } from './defaults.js';
import { schemaAt, type JsonSchema } from './json-schema.js';
import { mergeValues, recordAssignment, setAtPath, type Provenance } from './merge.js';
import { isPlainObject } from './path.js';
import type { SetEntry } from './set-parser.js';

/** One layer of overrides: a values tree and/or --set assignments, with a label saying where it came from. */
export interface ValuesLayer {
  label: string;
  values?: Record<string, unknown>;
  sets?: SetEntry[];
  /**
   * Keys of this layer the chart does not declare are dropped without an error: values reused from an earlier
   * revision, whose chart version may have had them.
   */
  lenient?: boolean;
}

/** Values merged from every layer, with the layer that set each one. */
export interface ResolvedValues {
  values: Record<string, unknown>;
  provenance: Provenance;
}

/** Reads a file named by --set-file; injected so resolution stays pure. */
export type ReadText = (file: string) => string;

function typedSetValue(entry: SetEntry, schema: JsonSchema | undefined, readText: ReadText): unknown {
  const { value, kind, path } = entry;
  switch (value.type) {
    case 'json':
      return value.value === null ? undefined : value.value;
    case 'file':
      return readText(value.file);
    case 'list':
      return value.items.map((item, i) =>
        kind === 'set' ? coerceScalar(item, schemaAt(schema, [...path, i])) : item,
      );
    case 'scalar':
      if (kind !== 'set') return value.text;
      if (value.text === 'null') return undefined;
      return coerceScalar(value.text, schemaAt(schema, path));
  }
}

/**
 * Merges, lowest first: the schema's defaults, the props given in app code, then each layer in order.
 * --set text is typed by the schema at its path; validation is left to the chart's own schema.
 */
export function resolveValues(
  schema: JsonSchema | undefined,
  props: unknown,
  layers: readonly ValuesLayer[],
  readText: ReadText,
): ResolvedValues {
  const provenance: Provenance = new Map();
  const defaults = defaultsOf(schema);
  let values = mergeValues({}, isPlainObject(defaults) ? defaults : {}, 'chart defaults', provenance);
  if (isPlainObject(props)) values = mergeValues(values, props, 'app code', provenance);
  for (const layer of layers) {
    if (layer.values) values = mergeValues(values, layer.values, layer.label, provenance);
    for (const entry of layer.sets ?? []) {
      const typed = typedSetValue(entry, schema, readText);
      setAtPath(values, entry.path, typed);
      recordAssignment(provenance, entry.path, entry.source, typed);
    }
  }
  return { values, provenance };
}

/** The part of a project-wide layer that addresses one release: its key in values, its prefix in --set. */
export function layerForRelease(layer: ValuesLayer, release: string): ValuesLayer {
  const own = layer.values?.[release];
  return {
    label: layer.label,
    lenient: layer.lenient,
    values: isPlainObject(own) ? own : undefined,
    sets: layer.sets?.filter((s) => s.path[0] === release).map((s) => ({ ...s, path: s.path.slice(1) })),
  };
}

/** Release names a project-wide layer addresses, in the order they appear. */
export function releasesNamedBy(layer: ValuesLayer): string[] {
  const names = new Set<string>(Object.keys(layer.values ?? {}));
  for (const s of layer.sets ?? []) names.add(String(s.path[0]));
  return [...names];
}
