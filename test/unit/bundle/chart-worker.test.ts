import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import type { KcHost, RunResult, TestApi } from '../../../src/chart/protocol.js';
import type { BuiltBundle } from '../../../src/bundle/build.js';
import { ChartWorker } from '../../../src/bundle/chart-worker.js';
import { codeCacheFile } from '../../../src/bundle/load.js';
import { KcError } from '../../../src/errors/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-worker-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let count = 0;
/** A bundle whose `run` executes `body` (CommonJS, as kc's bundles are), with an empty source map. */
function bundle(body: string, top = ''): BuiltBundle {
  const file = path.join(dir, `b${++count}.cjs`);
  const describe = "exports.describe = () => ({ chart: { name: 'c', version: '1.0.0' }, jsonSchema: {} });";
  fs.writeFileSync(file, `"use strict";\n${top}\nexports.run = (request) => {\n${body}\n};\n${describe}\n`);
  fs.writeFileSync(`${file}.map`, JSON.stringify({ version: 3, sources: [], names: [], mappings: '' }));
  return { file, mapFile: `${file}.map`, digest: String(count), sourceRoot: dir };
}

const host: KcHost = {
  env: 'dev',
  namespace: 'ns',
  resolveValues: (r) => ({ values: { release: r.release, props: r.props } }),
};
const RELEASE = "name: request.release, chart: { name: 'c', version: '1' }, dependsOn: []";
const OK = `return { ok: true, releases: [{ ${RELEASE}, objects: [], values: {} }] };`;
type Failed = Extract<RunResult, { ok: false }>;

async function failure(run: Promise<unknown>): Promise<KcError> {
  const err = await run.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(KcError);
  return err as KcError;
}

describe('ChartWorker', () => {
  test('runs a bundle on its thread; values are asked of the host on this one; results come back as data', async () => {
    const b = bundle(`
      const { values } = request.host.resolveValues({ release: request.release, props: { a: [1, 2] } });
      const seen = { env: request.host.env, ns: request.host.namespace };
      return { ok: true, releases: [{ ${RELEASE}, objects: [values], values: seen }] };`);
    const result = await new ChartWorker({ cwd: dir }).run(b, host, 'web');
    expect(result).toEqual({
      ok: true,
      releases: [
        {
          name: 'web',
          chart: { name: 'c', version: '1' },
          dependsOn: [],
          objects: [{ release: 'web', props: { a: [1, 2] } }],
          values: { env: 'dev', ns: 'ns' },
        },
      ],
    });
  });

  test('an error the host throws is thrown in the chart code, with its message', async () => {
    const b = bundle(`try { request.host.resolveValues({ release: 'x' }); } catch (e) {
      return { ok: false, failure: { kind: 'chart', message: e.name + ': ' + e.message } };
    }`);
    const throwing: KcHost = { resolveValues: () => { throw new KcError('VALUES_INVALID', 'bad layer'); } };
    const result = await new ChartWorker({ cwd: dir }).run(b, throwing);
    expect(result).toEqual({ ok: false, failure: { kind: 'chart', message: 'KcError: bad layer' } });
  });

  test.each([
    ['process.exit(0)', 'process.exit(0)'],
    ['process.exit()', 'process.exit()'],
    ['process.abort()', 'process.abort()'],
    ['process.kill(process.pid)', `process.kill(${process.pid})`],
    ["process.kill(0, 'SIGCONT')", 'process.kill(0, "SIGCONT")'], // the group: harmless should the guard fail
    ['process._kill(process.pid, 18)', `process._kill(${process.pid}, 18)`], // what kill calls; 18: SIGCONT
  ])('%s in chart code ends only its thread: CHART_FAILED naming the call', async (call, shown) => {
    const err = await failure(new ChartWorker({ cwd: dir }).run(bundle(`${call};\n${OK}`), host));
    expect(err.code).toBe('CHART_FAILED');
    expect(err.message).toBe(`chart code called ${shown}`);
    expect(err.hint).toMatch(/must not end the process/);
  });

  test('process.exit() as the bundle loads, before any run is asked for, fails that run at once', async () => {
    const b = bundle(OK, 'process.exit(0);');
    const worker = new ChartWorker({ cwd: dir });
    worker.load(b);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the thread has ended by now
    const err = await failure(worker.run(b, host));
    expect(err.code).toBe('CHART_FAILED');
    expect(err.message).toBe('chart code called process.exit(0)');
  });

  test('a loop that never ends is stopped at once when the signal aborts: INTERRUPTED', async () => {
    const controller = new AbortController();
    const run = new ChartWorker({ cwd: dir, signal: controller.signal }).run(bundle('for (;;) {}'), host);
    setTimeout(() => controller.abort(new KcError('INTERRUPTED', 'interrupted by SIGINT')), 300);
    const started = Date.now();
    const err = await failure(run);
    expect(err.code).toBe('INTERRUPTED');
    expect(err.message).toBe('interrupted by SIGINT while chart code was running');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('kc\'s thread stays free while chart code computes (timers such as the lock renewal keep firing)', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const busy = bundle(`const end = Date.now() + 1000; while (Date.now() < end);\n${OK}`);
    const result = await new ChartWorker({ cwd: dir }).run(busy, host);
    clearInterval(timer);
    expect(result.ok).toBe(true);
    expect(ticks).toBeGreaterThan(10); // ~50 when not starved of CPU; 0 if the loop ran on this thread
  });

  test('with the signal already aborted, the chart never runs', async () => {
    const marker = path.join(dir, 'ran');
    const b = bundle(`require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x');\n${OK}`);
    const err = await failure(new ChartWorker({ cwd: dir, signal: AbortSignal.abort() }).run(b, host));
    expect(err.code).toBe('INTERRUPTED');
    expect(fs.existsSync(marker)).toBe(false);
  });

  test('timers the chart leaves running stop with the worker once the result is in', async () => {
    const ticks = path.join(dir, 'ticks');
    const b = bundle(`setInterval(() => require('node:fs').appendFileSync(${JSON.stringify(ticks)}, '.'), 5);\n${OK}`);
    expect((await new ChartWorker({ cwd: dir }).run(b, host, 'r')).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const size = fs.existsSync(ticks) ? fs.statSync(ticks).size : 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fs.existsSync(ticks) ? fs.statSync(ticks).size : 0).toBe(size);
  });

  test('a rejection nothing handles and a throw at load time are failures of the chart, with stacks', async () => {
    const rejecting = bundle(`Promise.reject(new Error('lost'));\n${OK}`);
    const rejected = (await new ChartWorker({ cwd: dir }).run(rejecting, host)) as Failed;
    expect(rejected.failure).toMatchObject({ kind: 'chart', message: 'unhandled rejection: lost' });
    expect(rejected.failure.stack).toContain('b');
    const atLoad = (await new ChartWorker({ cwd: dir }).run(bundle(OK, "throw new Error('top');"), host)) as Failed;
    expect(atLoad.failure).toMatchObject({ kind: 'chart', message: 'top' });
    expect(atLoad.failure.stack).toContain(path.join(dir, `b${count}.cjs`));
  });

  test('describe answers the chart description, or why there is none', async () => {
    const description = { chart: { name: 'c', version: '1.0.0' }, jsonSchema: {} };
    expect(await new ChartWorker({ cwd: dir }).describe(bundle(OK))).toEqual({ ok: true, description });
    const b = bundle(OK, '');
    fs.appendFileSync(b.file, "exports.describe = () => { throw new Error('no chart class'); };\n");
    const failure = { kind: 'app', message: 'no chart class' };
    expect(await new ChartWorker({ cwd: dir }).describe(b)).toEqual({ ok: false, failure });
  });

  test('config answers a project file\'s export as data, or where in it a function sits', async () => {
    const config = { app: './app.ts', environments: { dev: { values: { w: { at: [1] } } } } };
    const plain = bundle(OK, `exports.config = ${JSON.stringify(config)};`);
    expect(await new ChartWorker({ cwd: dir }).config(plain)).toEqual({ ok: true, config });
    const cyclic = "const c = { app: 'a' }; c.self = c; c.environments = { dev: { values: { w: { f: () => 1 } } } };";
    const fn = bundle(OK, `${cyclic}\nexports.config = c;`);
    const failure = { kind: 'data', message: 'environments.dev.values.w.f is a function' };
    expect(await new ChartWorker({ cwd: dir }).config(fn)).toEqual({ ok: false, failure });
  });

  test('a worker told how to name its code\'s failures (a project file) uses those errors', async () => {
    const errors = {
      ended: (end: { fatal?: { call: string } }) => new KcError('CONFIG_INVALID', `project called ${end.fatal?.call}`),
      interrupted: () => new KcError('INTERRUPTED', 'stopped the project'),
    };
    const exits = bundle(OK, 'process.exit(3);');
    const ended = await failure(new ChartWorker({ cwd: dir, errors }).config(exits));
    expect([ended.code, ended.message]).toEqual(['CONFIG_INVALID', 'project called process.exit(3)']);
    const controller = new AbortController();
    const loops = new ChartWorker({ cwd: dir, errors, signal: controller.signal }).config(bundle(OK, 'for (;;);'));
    setTimeout(() => controller.abort(), 200);
    const stopped = await failure(loops);
    expect([stopped.code, stopped.message]).toEqual(['INTERRUPTED', 'stopped the project']);
  });

  test('chart tests run there too, their cluster reads (get, list) answered by kc over a port', async () => {
    const b = bundle(OK, `exports.test = async (request, release, api) => {
      const got = await api.get('v1', 'ConfigMap', 'cm');
      const listed = await api.list('v1', 'Pod', 'app=x');
      const refused = await api.get('v1', 'Secret', 'nope').catch((e) => e.message);
      const name = JSON.stringify({ release, ns: api.namespace, env: request.host.env, got, listed, refused });
      return { ok: true, results: [{ name, ok: true, durationMs: 0 }] };
    };`);
    const api: TestApi = {
      namespace: 'tests',
      get: async (apiVersion, kind, name) => {
        if (kind === 'Secret') throw new Error('forbidden');
        return { apiVersion, kind, metadata: { name } };
      },
      list: async (_apiVersion, kind, selector) => [{ kind, selector }],
    };
    const result = await new ChartWorker({ cwd: dir }).test(b, host, 'web', api);
    expect(result.ok).toBe(true);
    expect(JSON.parse((result as Extract<typeof result, { ok: true }>).results[0].name)).toEqual({
      release: 'web',
      ns: 'tests',
      env: 'dev',
      got: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } },
      listed: [{ kind: 'Pod', selector: 'app=x' }],
      refused: 'forbidden',
    });
  });

  test('keeps V8\'s code cache beside the bundle after a run, and a later run accepts it as is', async () => {
    const b = bundle(OK);
    const worker = new ChartWorker({ cwd: dir });
    worker.load(b); // evaluated ahead of the run
    await worker.run(b, host, 'r');
    const inode = fs.statSync(codeCacheFile(b.file)).ino;
    expect((await new ChartWorker({ cwd: dir }).run(b, host, 'r')).ok).toBe(true);
    expect(fs.statSync(codeCacheFile(b.file)).ino).toBe(inode);
  });
});
