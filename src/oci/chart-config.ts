// The config blob of a kc chart in a registry: its metadata and values schema and defaults, so `kc show values` and
// version checks read no chart code. Serialized with a fixed key order: the same chart always gives the same bytes.
import semver from 'semver';
import { CHART_NAME, type ArtifactManifest } from '../artifact/index.js';
import { KcError } from '../errors/index.js';

/** What the config blob holds (media type KC_CONFIG_MEDIA_TYPE). */
export interface ChartConfig {
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  keywords: string[];
  kcVersion: string;
  values: { schema: Record<string, unknown>; defaults: Record<string, unknown> };
}

/** The config of an artifact, from its manifest.json. */
export function chartConfigOf(manifest: ArtifactManifest): ChartConfig {
  return {
    name: manifest.name,
    version: manifest.version,
    ...(manifest.appVersion !== undefined ? { appVersion: manifest.appVersion } : {}),
    ...(manifest.description !== undefined ? { description: manifest.description } : {}),
    keywords: manifest.keywords,
    kcVersion: manifest.kcVersion,
    values: { schema: manifest.values.schema, defaults: manifest.values.defaults },
  };
}

/** The config's bytes: compact JSON, keys in ChartConfig's order (schema and defaults as the artifact has them). */
export function chartConfigJson(config: ChartConfig): Buffer {
  const ordered = {
    name: config.name,
    version: config.version,
    ...(config.appVersion !== undefined ? { appVersion: config.appVersion } : {}),
    ...(config.description !== undefined ? { description: config.description } : {}),
    keywords: config.keywords,
    kcVersion: config.kcVersion,
    values: { schema: config.values.schema, defaults: config.values.defaults },
  };
  return Buffer.from(JSON.stringify(ordered));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a config blob; ARTIFACT_INVALID naming the field that is wrong. */
export function parseChartConfig(bytes: Buffer, label: string): ChartConfig {
  const invalid = (reason: string) =>
    new KcError('ARTIFACT_INVALID', `the config of ${label} is not a kc chart config: ${reason}`, {
      hint: 'push the chart again with `kc push`',
    });
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('it is not JSON');
  }
  if (!isObject(raw)) throw invalid('it is not a JSON object');
  const { name, version, appVersion, description, keywords, kcVersion, values } = raw;
  if (typeof name !== 'string' || !CHART_NAME.test(name)) throw invalid('name is not a chart name');
  if (typeof version !== 'string' || semver.valid(version) !== version)
    throw invalid('version is not a semantic version');
  if (appVersion !== undefined && typeof appVersion !== 'string') throw invalid('appVersion is not a string');
  if (description !== undefined && typeof description !== 'string') throw invalid('description is not a string');
  if (!Array.isArray(keywords) || !keywords.every((k) => typeof k === 'string'))
    throw invalid('keywords is not a list of strings');
  if (typeof kcVersion !== 'string') throw invalid('kcVersion is not a string');
  if (!isObject(values) || !isObject(values.schema) || !isObject(values.defaults)) {
    throw invalid('values must hold a schema and defaults objects');
  }
  return {
    name,
    version,
    ...(appVersion !== undefined ? { appVersion } : {}),
    ...(description !== undefined ? { description } : {}),
    keywords,
    kcVersion,
    values: { schema: values.schema, defaults: values.defaults },
  };
}
