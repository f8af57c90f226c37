import { ChartWorker, type BuiltBundle, type ChartWorkerOptions } from '../bundle/index.js';
import type { RunOptions } from './run.js';

/** The chart worker of one render: started on first use (or early, by `start`) and stopped once it answered. */
export interface LazyWorker {
  /** Starts the thread now, so it boots while kc still prepares the render. */
  start(): void;
  /** Has the bundle evaluated now, ahead of the run. */
  load(bundle: BuiltBundle): void;
  /** A `run` for runBundle that runs `bundle` in the worker. */
  runner(bundle: BuiltBundle): NonNullable<RunOptions['run']>;
  close(): void;
}

/** A LazyWorker whose thread stops chart code when `options.signal` aborts. */
export function lazyWorker(options: ChartWorkerOptions): LazyWorker {
  let worker: ChartWorker | undefined;
  const get = () => (worker ??= new ChartWorker(options));
  return {
    start: () => void get(),
    load: (bundle) => get().load(bundle),
    runner: (bundle) => (host, release) => get().run(bundle, host, release),
    close: () => worker?.close(),
  };
}
