// Runs inside a chart bundle: builds the cdk8s App and returns plain data to kc.
import { ApiObject, App, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { isKcChart, valuesJsonSchema, type ChartMeta } from './kc-chart.js';
import { helmReleaseOf } from './helm-release.js';
import type { AppFunction } from './define-app.js';
import {
  HOST_KEY,
  type CheckResult,
  type TestApi,
  type ChartDescription,
  type ReleaseOutput,
  type RunFailure,
  type RunRequest,
  type RunResult,
} from './protocol.js';

type ChartClass = (new (scope: App, id: string, props: unknown) => Chart) & { meta?: ChartMeta<never> };

function lastConstructPath(root: IConstruct): string {
  let node = root;
  while (node.node.children.length > 0) node = node.node.children[node.node.children.length - 1];
  return node.node.path;
}

function failureOf(err: unknown, app: App): RunFailure {
  const data = (err as { kcFailure?: RunFailure } | undefined)?.kcFailure;
  if (data) return { ...data, message: (err as Error).message };
  const constructPath = lastConstructPath(app);
  return {
    kind: 'chart',
    message: err instanceof Error ? err.message : String(err),
    stack: err instanceof Error ? err.stack : undefined,
    constructPath: constructPath || undefined,
    release: constructPath ? constructPath.split('/')[0] : undefined,
  };
}

/**
 * Every API object of a release, nested charts included, as plain JSON. `rendered` is the chart's own objects
 * when cdk8s already rendered them (Chart.toJson): rendering an object costs as much as validating it.
 */
function objectsOf(chart: Chart, rendered?: unknown[]): Record<string, unknown>[] {
  const apiObjects = chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  const json = rendered ? [...rendered, ...apiObjects.filter((o) => Chart.of(o) !== chart).map((o) => o.toJson())] : apiObjects.map((o) => o.toJson());
  return json.map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>);
}

function releaseOf(chart: Chart, charts: Set<IConstruct>, rendered?: unknown[]): ReleaseOutput {
  const objects = objectsOf(chart, rendered);
  const dependsOn = chart.node.dependencies.filter((d) => charts.has(d)).map((d) => d.node.id);
  const helm = helmReleaseOf(chart);
  if (helm) return { name: chart.node.id, chart: { name: chart.node.id, version: '0.0.0' }, dependsOn, objects, values: {}, helm };
  if (!isKcChart(chart)) {
    return { name: chart.node.id, chart: { name: chart.node.id, version: '0.0.0' }, dependsOn, objects, values: {} };
  }
  const { meta } = chart;
  const out: ReleaseOutput = {
    name: chart.node.id,
    chart: { name: meta.name, version: meta.version },
    dependsOn,
    objects,
    values: JSON.parse(JSON.stringify(chart.values ?? {})),
    jsonSchema: valuesJsonSchema(meta.schema),
  };
  if (meta.appVersion) out.chart.appVersion = meta.appVersion;
  if (meta.description) out.chart.description = meta.description;
  const notes = chart.renderNotes();
  if (notes !== undefined) out.notes = notes;
  return out;
}

/** Runs `fn` with the request's host published for chart constructors, restoring whatever was there. */
function inHost<T>(request: RunRequest, fn: () => T): T {
  const slot = globalThis as Record<symbol, unknown>;
  const previous = slot[HOST_KEY];
  slot[HOST_KEY] = request.host;
  try {
    return fn();
  } finally {
    slot[HOST_KEY] = previous;
  }
}

async function testWith(
  request: RunRequest,
  release: string,
  api: TestApi,
  build: (app: App) => void,
): Promise<{ ok: true; results: CheckResult[] } | { ok: false; failure: RunFailure }> {
  const app = new App();
  try {
    inHost(request, () => build(app));
  } catch (err) {
    return { ok: false, failure: failureOf(err, app) };
  }
  const chart = app.node.tryFindChild(release);
  if (!chart || !isKcChart(chart)) return { ok: false, failure: { kind: 'app', message: `the app defines no kc chart for release "${release}"` } };
  const results: CheckResult[] = [];
  for (const t of chart.meta.tests ?? []) {
    const started = Date.now();
    try {
      await t.run({ release: { ...chart.release, namespace: api.namespace }, values: chart.values, get: api.get, list: api.list });
      results.push({ name: t.name, ok: true, durationMs: Date.now() - started });
    } catch (err) {
      results.push({ name: t.name, ok: false, message: err instanceof Error ? err.message : String(err), durationMs: Date.now() - started });
    }
  }
  return { ok: true, results };
}

/** Builds a project's app and runs one release's chart tests. */
export function testApp(appFn: unknown, request: RunRequest, release: string, api: TestApi) {
  return testWith(request, release, api, (app) => (appFn as AppFunction)(app, { env: request.host.env, namespace: request.host.namespace }));
}

/** Builds one chart as `release` and runs its tests. */
export function testChart(mod: Record<string, unknown>, request: RunRequest, release: string, api: TestApi) {
  const ChartCtor = chartClassOf(mod);
  return testWith(request, release, api, (app) => {
    if (ChartCtor) new ChartCtor(app, release, {});
  });
}

function withApp(request: RunRequest, build: (app: App) => void): RunResult {
  const app = new App();
  try {
    inHost(request, () => build(app));
    const charts = app.node.children.filter((c): c is Chart => Chart.isChart(c));
    // cdk8s resolves and validates the whole app on every chart's toJson(); doing it once keeps synth linear.
    const first = charts[0]?.toJson();
    const set = new Set<IConstruct>(charts);
    return { ok: true, releases: charts.map((c, i) => releaseOf(c, set, i === 0 ? first : undefined)) };
  } catch (err) {
    return { ok: false, failure: failureOf(err, app) };
  }
}

/** Runs a project's app function and returns its releases as plain data. */
export function runApp(appFn: unknown, request: RunRequest): RunResult {
  if (typeof appFn !== 'function') {
    return {
      ok: false,
      failure: { kind: 'app', message: 'the app module must default-export a function (app, ctx) => void (use defineApp)' },
    };
  }
  return withApp(request, (app) => (appFn as AppFunction)(app, { env: request.host.env, namespace: request.host.namespace }));
}

function chartClassOf(mod: Record<string, unknown>): ChartClass | undefined {
  const candidates = [mod.default, ...Object.values(mod)];
  return candidates.find((c) => typeof c === 'function' && (c as ChartClass).meta?.schema) as ChartClass | undefined;
}

/** The chart's identity with the artifact's version and appVersion, when the request carries them. */
function versionedMeta(meta: ChartMeta<never>, request: RunRequest): ChartMeta<never> {
  return {
    ...meta,
    ...(request.chartVersion ? { version: request.chartVersion } : {}),
    ...(request.appVersion ? { appVersion: request.appVersion } : {}),
  };
}

/** Runs one chart as release `request.release` (package mode: values come only from the host). */
export function runChart(mod: Record<string, unknown>, request: RunRequest): RunResult {
  const ChartCtor = chartClassOf(mod);
  if (!ChartCtor) return { ok: false, failure: { kind: 'app', message: 'the chart module exports no chart class with a static `meta`' } };
  const release = request.release ?? ChartCtor.meta!.name;
  if (!request.chartVersion && !request.appVersion) return withApp(request, (app) => new ChartCtor(app, release, {}));
  // A packaged chart's version is the artifact's (`kc package --version`): the class's meta shows it while it is built,
  // so labels and the release record agree with the manifest.
  const original = ChartCtor.meta!;
  ChartCtor.meta = versionedMeta(original, request);
  try {
    const result = withApp(request, (app) => new ChartCtor(app, release, {}));
    // Also when the chart passed its constructor another meta object than its static one.
    const own = result.ok ? result.releases.find((r) => r.name === release) : undefined;
    if (own && request.chartVersion) own.chart.version = request.chartVersion;
    if (own && request.appVersion) own.chart.appVersion = request.appVersion;
    return result;
  } finally {
    ChartCtor.meta = original;
  }
}

/** Describes a chart module's chart (name, version, values schema) without synthesizing it. */
export function describeChart(mod: Record<string, unknown>): ChartDescription {
  const ChartCtor = chartClassOf(mod);
  if (!ChartCtor?.meta) throw new Error('the chart module exports no chart class with a static `meta`');
  const { name, version, appVersion, description, schema } = ChartCtor.meta;
  const chart = { name, version, ...(appVersion ? { appVersion } : {}), ...(description ? { description } : {}) };
  return { chart, jsonSchema: valuesJsonSchema(schema) };
}
