// The documents `kc show readme|all -o json|yaml` print (apiVersion kc.dev/v1, stable as operation-json.ts's: fields
// may be added, none renamed or removed). `show values|chart|schema -o` print the plain data (defaults, chart
// metadata, schema), as `kc get values|metadata -o` do.
import type { ChartInfo } from '../src/chart/protocol.js';
import type { ChartSummary } from '../src/actions/show.js';
import { KC_API_VERSION } from './operation-json.js';

/** A chart's README (`kc show readme`): `kind: Readme`. */
export interface ReadmeDocument {
  apiVersion: typeof KC_API_VERSION;
  kind: 'Readme';
  chart: ChartInfo;
  /** The README.md text, absent when the chart has none. */
  readme?: string;
}

/** Everything a chart declares (`kc show all`): `kind: Chart`. */
export interface ChartDocument {
  apiVersion: typeof KC_API_VERSION;
  kind: 'Chart';
  /** As `kc show chart -o json` prints it. */
  chart: ChartInfo;
  /** The default values, as `kc show values -o json` prints them. */
  values: Record<string, unknown>;
  /** The values' JSON Schema (draft 2020-12), as `kc show schema` prints it. */
  schema: Record<string, unknown>;
  /** The README.md text, absent when the chart has none. */
  readme?: string;
}

/** The document of `kc show readme`. */
export function readmeDocument(summary: ChartSummary): ReadmeDocument {
  return { apiVersion: KC_API_VERSION, kind: 'Readme', chart: summary.chart, readme: summary.readme };
}

/** The document of `kc show all`. */
export function chartDocument(summary: ChartSummary): ChartDocument {
  return {
    apiVersion: KC_API_VERSION,
    kind: 'Chart',
    chart: summary.chart,
    values: summary.defaults,
    schema: summary.jsonSchema,
    readme: summary.readme,
  };
}
