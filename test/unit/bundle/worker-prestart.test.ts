import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, test } from '@jest/globals';
import { ChartWorker } from '../../../src/bundle/chart-worker.js';
import { prestartChartWorker, takePrestartedWorker } from '../../../src/bundle/worker-prestart.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-prestart-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Slot = Record<symbol, { worker: Worker }[] | undefined>;
const slot = () => (globalThis as Slot)[Symbol.for('kc.prestartedChartWorker')] ?? [];

describe('a chart worker started by the launcher', () => {
  test('is taken over by the first ChartWorker, which runs its job on it', async () => {
    const file = path.join(dir, 'b.cjs');
    fs.writeFileSync(file, 'exports.describe = () => ({ chart: { name: "c", version: "1.0.0" }, jsonSchema: {} });\n');
    prestartChartWorker();
    const started = slot()[0].worker;
    const worker = new ChartWorker({ cwd: dir });
    expect(slot()).toEqual([]);
    const exited = new Promise((resolve) => started.once('exit', resolve));
    const answer = await worker.describe({ file, mapFile: `${file}.map`, digest: 'd', sourceRoot: dir });
    expect(answer).toEqual({ ok: true, description: { chart: { name: 'c', version: '1.0.0' }, jsonSchema: {} } });
    await exited; // the same thread, stopped once it answered
  });

  test('still answers when something else listened for its messages first (an instrumenting preload)', async () => {
    const file = path.join(dir, 'c.cjs');
    fs.writeFileSync(file, 'exports.describe = () => ({ chart: { name: "c", version: "1.0.0" }, jsonSchema: {} });\n');
    const started = prestartChartWorker();
    const seen: unknown[] = [];
    started.on('message', (m) => seen.push(m)); // as a tracing preload's Worker subclass does
    const answer = await new ChartWorker({ cwd: dir }).describe({
      file,
      mapFile: `${file}.map`,
      digest: 'd',
      sourceRoot: dir,
    });
    expect(answer).toMatchObject({ ok: true });
    expect(seen).toHaveLength(1); // its listener kept, and the answer reached both
    expect(started.listenerCount('newListener')).toBeGreaterThan(0); // Node's own, which start the message port
  }, 20_000);

  test('is not handed over once its thread has stopped', async () => {
    prestartChartWorker();
    await slot()[0].worker.terminate();
    await new Promise((resolve) => setImmediate(resolve));
    expect(takePrestartedWorker()).toBeUndefined();
  });

  test('two started (for a chart and a project file) go to two ChartWorkers, one each', async () => {
    const file = path.join(dir, 'c.cjs');
    fs.writeFileSync(file, 'exports.config = { app: "./app.ts" };\n');
    const bundle = { file, mapFile: `${file}.map`, digest: 'c', sourceRoot: dir };
    prestartChartWorker();
    prestartChartWorker();
    const started = slot().map((s) => s.worker);
    const workers = [new ChartWorker({ cwd: dir }), new ChartWorker({ cwd: dir })];
    expect(slot()).toEqual([]);
    const exited = started.map((w) => new Promise((resolve) => w.once('exit', resolve)));
    const answers = await Promise.all(workers.map((w) => w.config(bundle)));
    expect(answers).toEqual([
      { ok: true, config: { app: './app.ts' } },
      { ok: true, config: { app: './app.ts' } },
    ]);
    await Promise.all(exited); // the threads started, each stopped once it answered
  });

  test('is none when the launcher started none (the CLI run in-process, as in tests)', () => {
    expect(takePrestartedWorker()).toBeUndefined();
  });
});
