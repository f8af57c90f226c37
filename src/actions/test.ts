import path from 'node:path';
import type { CheckResult } from '../chart/protocol.js';
import { ChartWorker, appEntry, buildBundle, chartEntry, loadBundle } from '../bundle/index.js';
import { environmentOf, loadProject } from '../config/load-project.js';
import { locateTarget } from '../config/locate.js';
import type { KcContext } from '../context.js';
import type { ReleaseRecord } from '../release/index.js';
import { failureToError } from '../synth/failure.js';
import { createHost } from '../synth/host.js';
import { checkLayerKeys, type ValuesLayer } from '../values/index.js';
import type { ClusterSession } from './cluster-session.js';
import { runHooks, type HookResult, type PodLog } from './hooks.js';
import type { ClusterOptions } from './release-options.js';
import { envLayers } from './synth.js';

/** Options of `kc test`. */
export interface TestOptions extends ClusterOptions {
  release: string;
  timeoutMs: number;
  /** Project or chart directory whose typed chart tests to run too. */
  source?: string;
  /** Environment for a project source (default: the one the release was deployed with). */
  env?: string;
  /** Also read each test Pod's logs (Helm's --logs); a Job's are its Pods'. */
  logs?: boolean;
  signal?: AbortSignal;
}

/** One test's outcome, whether a test object (Job/Pod) or a typed check. */
export interface TestOutcome {
  name: string;
  type: 'object' | 'check';
  ok: boolean;
  reason: string;
  details: string[];
  durationMs: number;
  /** With `logs`: each Pod the test object ran, and its logs. */
  logs?: PodLog[];
}

/** Everything `kc test` ran against one revision. */
export interface TestReport {
  release: string;
  namespace: string;
  revision: number;
  results: TestOutcome[];
  passed: boolean;
}

async function typedChecks(ctx: KcContext, session: ClusterSession, record: ReleaseRecord, options: TestOptions): Promise<CheckResult[]> {
  const target = locateTarget(ctx.fs, ctx.cwd, options.source);
  let entry: string;
  let layers: ValuesLayer[];
  let resolveDir = target.dir;
  const keyedByRelease = target.kind === 'project';
  let env: string | undefined;
  if (target.kind === 'project') {
    const project = await loadProject(target.configFile, ctx.cwd, ctx.cacheDir, options.signal ?? ctx.signal);
    env = options.env ?? record.env;
    layers = env !== undefined ? envLayers(ctx, project.dir, project.configFile, env, environmentOf(project, env)) : [];
    layers.forEach(checkLayerKeys);
    entry = appEntry(path.resolve(project.dir, project.config.app));
    resolveDir = project.dir;
  } else {
    // A chart is tested with the values the release was deployed with.
    layers = [{ label: `values of revision ${record.revision}`, values: record.userValues }];
    entry = chartEntry(target.entry);
  }
  const built = await buildBundle({ entry, resolveDir, label: options.source! }, ctx.cwd, ctx.cacheDir);
  const readText = (file: string) => ctx.fs.readText(path.resolve(ctx.cwd, file));
  const { host, records } = createHost({ env, namespace: record.namespace, layers, keyedByRelease, readText });
  const ns = record.namespace;
  // The checks are chart code: on a worker thread, stopped at once by Ctrl-C.
  const worker = new ChartWorker({ signal: options.signal ?? ctx.signal, cwd: ctx.cwd });
  const result = await worker.test(built, host, record.name, {
    namespace: ns,
    get: async (apiVersion, kind, name, namespace) => (await session.client.get({ apiVersion, kind, name, namespace: namespace ?? ns })) as Record<string, unknown> | undefined,
    list: async (apiVersion, kind, labelSelector) => (await session.client.list(apiVersion, kind, { namespace: ns, labelSelector })) as Record<string, unknown>[],
  });
  if (!result.ok) {
    throw failureToError(result.failure, { records, keyedByRelease, loaded: loadBundle(built), cwd: ctx.cwd });
  }
  return result.results;
}

const fromHook = (h: HookResult): TestOutcome => ({
  name: `${h.ref.kind}/${h.ref.name}`,
  type: 'object',
  ok: h.ok,
  reason: h.reason,
  details: h.details,
  durationMs: 0,
  ...(h.logs ? { logs: h.logs } : {}),
});

/** `kc test R`: runs the release's test Jobs/Pods and, given its source, the chart's typed checks. */
export async function testRelease(ctx: KcContext, options: TestOptions): Promise<TestReport> {
  const session = await ctx.connect(options);
  try {
    const namespace = options.namespace ?? session.namespace;
    const history = await session.store.requireHistory(namespace, options.release);
    const latest = [...history].reverse().find((h) => h.status === 'deployed') ?? history.at(-1)!;
    const record = await session.store.read(namespace, options.release, latest.revision);
    const hooks = await runHooks(session.client, record.hookObjects, 'test', {
      release: record.name,
      namespace,
      timeoutMs: options.timeoutMs,
      clock: session.clock,
      signal: options.signal,
      runAll: true,
      logs: options.logs,
    });
    const checks = options.source ? await typedChecks(ctx, session, record, options) : [];
    const results = [
      ...hooks.map(fromHook),
      ...checks.map((c): TestOutcome => ({ name: c.name, type: 'check', ok: c.ok, reason: c.ok ? 'passed' : c.message ?? 'failed', details: [], durationMs: c.durationMs })),
    ];
    return { release: record.name, namespace, revision: record.revision, results, passed: results.every((r) => r.ok) };
  } finally {
    session.close();
  }
}
