// The plain-data contract between kc (the host) and a chart bundle. Only JSON-like data and these
// function signatures cross it: the two sides may hold different copies of cdk8s, constructs and zod.

/** What a chart asks the host for when it is constructed. */
export interface ValuesRequest {
  release: string;
  chart: ChartInfo;
  /** The chart's values schema as JSON Schema (zod's input view). */
  jsonSchema: Record<string, unknown>;
  /** The props given in app code. */
  props: unknown;
}

/** The host's answer: every layer merged, before the chart's own validation. */
export interface ValuesAnswer {
  values: Record<string, unknown>;
}

/** The services kc offers to chart code while an app runs. */
export interface KcHost {
  /** Environment name, when synthesizing for one. */
  env?: string;
  /** Namespace the releases are deployed to, when known. */
  namespace?: string;
  resolveValues(request: ValuesRequest): ValuesAnswer;
}

/** Name and version of a chart. */
export interface ChartInfo {
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  /** Where a packaged chart came from (`oci://host/repo/name:tag`); set by kc, never by chart code. */
  source?: string;
  /** The digest it was installed from (`sha256:…`, the OCI manifest's); set by kc, never by chart code. */
  digest?: string;
}

/** A validation problem reported by the chart's zod schema. */
export interface ValuesIssue {
  path: (string | number)[];
  code: string;
  message: string;
}

/** Why a run failed, as data. */
export interface RunFailure {
  kind: 'values' | 'chart' | 'app';
  message: string;
  release?: string;
  /** Construct path being built when chart code threw. */
  constructPath?: string;
  stack?: string;
  issues?: ValuesIssue[];
}

/** One release produced by an app. */
export interface ReleaseOutput {
  name: string;
  chart: ChartInfo;
  dependsOn: string[];
  objects: Record<string, unknown>[];
  values: Record<string, unknown>;
  jsonSchema?: Record<string, unknown>;
  notes?: string;
  /** Set by a HelmRelease: the Helm chart kc renders for this release (its objects are empty until then). */
  helm?: { chart: string; version?: string; values?: Record<string, unknown> };
}

/** The result of running an app or chart bundle. */
export type RunResult = { ok: true; releases: ReleaseOutput[] } | { ok: false; failure: RunFailure };

/** What a chart bundle says about its chart without running it. */
export interface ChartDescription {
  chart: ChartInfo;
  jsonSchema: Record<string, unknown>;
}

/** Read-only cluster access the host lends to chart tests (plain data both ways). */
export interface TestApi {
  namespace: string;
  get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<Record<string, unknown> | undefined>;
  list(apiVersion: string, kind: string, labelSelector?: string): Promise<Record<string, unknown>[]>;
}

/** The outcome of one typed chart test. */
export interface CheckResult {
  name: string;
  ok: boolean;
  message?: string;
  durationMs: number;
}

/** The functions a kc bundle exports. */
export interface BundleExports {
  /** The project file's default export (project bundles only). */
  config?: unknown;
  /** A bundle answers at once; kc's stand-in for a packaged chart answers once its sandbox process did. */
  run(request: RunRequest): RunResult | Promise<RunResult>;
  describe?(): ChartDescription;
  /** Builds the app with the given values and runs release `release`'s chart tests against the cluster. */
  test?(request: RunRequest, release: string, api: TestApi): Promise<{ ok: true; results: CheckResult[] } | { ok: false; failure: RunFailure }>;
}

/** Input of a bundle run. */
export interface RunRequest {
  host: KcHost;
  /** Release name, for chart bundles (package mode). */
  release?: string;
  /** The chart's version as its artifact records it (`kc package --version`), over the one compiled in. */
  chartVersion?: string;
  /** The chart's appVersion as its artifact records it (`kc package --app-version`). */
  appVersion?: string;
}

/** Where the host is published for chart code during a run. */
export const HOST_KEY = Symbol.for('kc.host');
