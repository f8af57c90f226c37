// A chart worker takes ~25 ms to boot. The launcher (cli/launch.ts, a bundle of its own) starts one as soon as it
// knows the command renders a chart, and one for a project file it reads, so the threads boot while the CLI loads;
// the CLI's ChartWorkers take them over, one each.
import { Worker } from 'node:worker_threads';
import { workerSource } from './worker-source.js';

/** Where the launcher leaves its workers for the CLI (two bundles, so not a module variable). */
const SLOT = Symbol.for('kc.prestartedChartWorker');

interface Prestarted {
  worker: Worker;
  alive: boolean;
  /** The listener noting the thread's end, removed when the CLI takes the worker. */
  onEnd: () => void;
}

type Slot = Record<symbol, Prestarted[] | undefined>;

/** A new chart worker thread, not yet given a job (it keeps nothing alive until it is). */
export function newChartWorker(): Worker {
  const worker = new Worker(workerSource(), { eval: true, name: 'kc chart' });
  worker.unref();
  return worker;
}

/**
 * Starts a chart worker for the CLI to take, and returns it (the launcher may give it a bundle to load); it stops by
 * itself if the CLI never takes it (the process just ends).
 */
export function prestartChartWorker(): Worker {
  const entry: Prestarted = { worker: newChartWorker(), alive: true, onEnd: () => (entry.alive = false) };
  entry.worker.on('exit', entry.onEnd);
  entry.worker.on('error', entry.onEnd);
  ((globalThis as Slot)[SLOT] ??= []).push(entry);
  return entry.worker;
}

/** A worker the launcher started, each at most once, if one is still running; else undefined. */
export function takePrestartedWorker(): Worker | undefined {
  const entries = (globalThis as Slot)[SLOT] ?? [];
  for (let entry = entries.shift(); entry; entry = entries.shift()) {
    // Only this module's listeners: removeAllListeners() would also drop the ones Node's Worker keeps on itself to
    // start its message port when a 'message' listener comes (a preload that listened first then hung every job).
    entry.worker.off('exit', entry.onEnd);
    entry.worker.off('error', entry.onEnd);
    if (entry.alive) return entry.worker;
  }
  return undefined;
}
