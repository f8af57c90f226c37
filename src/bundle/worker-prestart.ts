// A chart worker takes ~25 ms to boot. The launcher (cli/launch.ts, a bundle of its own) starts one as soon as it
// knows the command renders a chart, so the thread boots while the CLI loads; the CLI's ChartWorker takes it over.
import { Worker } from 'node:worker_threads';
import { workerSource } from './worker-source.js';

/** Where the launcher leaves its worker for the CLI (two bundles, so not a module variable). */
const SLOT = Symbol.for('kc.prestartedChartWorker');

interface Prestarted {
  worker: Worker;
  alive: boolean;
}

type Slot = Record<symbol, Prestarted | undefined>;

/** A new chart worker thread, not yet given a job (it keeps nothing alive until it is). */
export function newChartWorker(): Worker {
  const worker = new Worker(workerSource(), { eval: true, name: 'kc chart' });
  worker.unref();
  return worker;
}

/** Starts a chart worker for the CLI to take; it stops by itself if the CLI never does (the process just ends). */
export function prestartChartWorker(): void {
  const entry: Prestarted = { worker: newChartWorker(), alive: true };
  entry.worker.once('exit', () => (entry.alive = false));
  entry.worker.on('error', () => (entry.alive = false));
  (globalThis as Slot)[SLOT] = entry;
}

/** The worker the launcher started, once, if it is still running; else undefined. */
export function takePrestartedWorker(): Worker | undefined {
  const slot = globalThis as Slot;
  const entry = slot[SLOT];
  slot[SLOT] = undefined;
  if (!entry) return undefined;
  entry.worker.removeAllListeners();
  return entry.alive ? entry.worker : undefined;
}
