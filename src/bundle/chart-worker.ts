// Chart code runs on a worker thread: a loop that never ends cannot block kc's event loop (Ctrl-C, lock renewal),
// timers it leaves do not keep kc alive, and process.exit() in it ends that thread only.
import type { TransferListItem, Worker } from 'node:worker_threads';
import type { ChartDescription, CheckResult, KcHost, RunFailure, RunResult, TestApi } from '../chart/protocol.js';
import { KcError } from '../errors/index.js';
import { openApiPort } from './api-port.js';
import type { BuiltBundle } from './build.js';
import { openHostPort } from './host-port.js';
import { codeCacheFile } from './load.js';
import { chartErrors, type WorkerEnd, type WorkerErrors } from './worker-errors.js';
import { newChartWorker, takePrestartedWorker } from './worker-prestart.js';

/** What `describe` answers: the chart's description, or why the bundle could not give one. */
export type DescribeResult = { ok: true; description: ChartDescription } | { ok: false; failure: RunFailure };

/** What `test` answers: each typed check's outcome, or why the app could not be built. */
export type TestResult = { ok: true; results: CheckResult[] } | { ok: false; failure: RunFailure };

/** What `config` answers: a project file's default export as plain data, or why the file gave none. */
export type ConfigResult =
  | { ok: true; config: unknown }
  | { ok: false; failure: { kind: 'chart' | 'data'; message: string; stack?: string } };

/** Where a worker reports to: Ctrl-C's signal, and the folder locations are shown relative to. */
export interface ChartWorkerOptions {
  signal?: AbortSignal;
  cwd: string;
  /** How failures are told (default: as chart code's). */
  errors?: WorkerErrors;
}

interface Pending {
  bundle: BuiltBundle;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

type WorkerMessage = { type: 'fatal'; call: string; stack?: string } | { type: 'result'; result: unknown };

/** A worker thread that runs one job of a chart bundle, then stops; results cross as structured clones. */
export class ChartWorker {
  private readonly worker: Worker;
  private pending?: Pending;
  private readonly seen: Omit<WorkerEnd, 'code'> = {};
  private closed = false;
  /** Set once the thread stopped: by close(), or by chart code (process.exit while it loaded, ahead of any job). */
  private ended?: WorkerEnd;
  private readonly onAbort = () => this.interrupt();
  private readonly errors: WorkerErrors;

  constructor(private readonly options: ChartWorkerOptions) {
    this.errors = options.errors ?? chartErrors;
    this.worker = takePrestartedWorker() ?? newChartWorker(); // unref'd: held only while a job runs
    this.worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'fatal') this.seen.fatal = m;
      else this.settle((p) => p.resolve(m.result));
    });
    this.worker.on('error', (err) => (this.seen.error = err));
    this.worker.on('exit', (code) => {
      this.ended = { ...this.seen, code };
      this.settle((p) => p.reject(this.errors.ended(this.ended!, p.bundle, options.cwd)));
    });
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Evaluates the bundle now, so the run that follows finds it loaded (failures are reported by that run). */
  load(bundle: BuiltBundle): void {
    if (!this.closed) this.worker.postMessage({ op: 'load', file: bundle.file, cacheFile: codeCacheFile(bundle.file) });
  }

  /** Runs the bundle's `run` for `release` with `host` answering from this thread, then stops the worker. */
  async run(bundle: BuiltBundle, host: KcHost, release?: string): Promise<RunResult> {
    const port = openHostPort(host);
    // Plain data only: the host's functions stay on this thread.
    const request = { release, env: host.env, namespace: host.namespace };
    try {
      return await this.call<RunResult>(bundle, { op: 'run', request, ...port.forWorker }, [port.forWorker.host]);
    } finally {
      port.close();
      this.close();
    }
  }

  /** Builds the app and runs `release`'s chart tests with `api` served from this thread, then stops the worker. */
  async test(bundle: BuiltBundle, host: KcHost, release: string, api: TestApi): Promise<TestResult> {
    const hostPort = openHostPort(host);
    const apiPort = openApiPort(api);
    const request = { release, env: host.env, namespace: host.namespace, apiNamespace: api.namespace };
    const job = { op: 'test', request, ...hostPort.forWorker, api: apiPort.port };
    try {
      return await this.call<TestResult>(bundle, job, [hostPort.forWorker.host, apiPort.port]);
    } finally {
      hostPort.close();
      apiPort.close();
      this.close();
    }
  }

  /** Calls the bundle's `describe`, then stops the worker. */
  async describe(bundle: BuiltBundle): Promise<DescribeResult> {
    try {
      return await this.call<DescribeResult>(bundle, { op: 'describe' });
    } finally {
      this.close();
    }
  }

  /** Evaluates a project-file bundle (kc.config.ts) and answers its default export, then stops the worker. */
  async config(bundle: BuiltBundle): Promise<ConfigResult> {
    try {
      return await this.call<ConfigResult>(bundle, { op: 'config' });
    } finally {
      this.close();
    }
  }

  /** Stops the worker, whatever it is doing (chart timers and all). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    void this.worker.terminate();
  }

  private call<T>(bundle: BuiltBundle, job: Record<string, unknown>, transfer: TransferListItem[] = []): Promise<T> {
    if (this.options.signal?.aborted) return Promise.reject(this.errors.interrupted(this.options.signal));
    if (this.ended && !this.closed) return Promise.reject(this.errors.ended(this.ended, bundle, this.options.cwd));
    if (this.closed) return Promise.reject(new KcError('INTERNAL', 'internal error: the chart worker has stopped'));
    return new Promise<T>((resolve, reject) => {
      this.pending = { bundle, resolve: resolve as (value: unknown) => void, reject };
      this.worker.ref();
      this.worker.postMessage({ ...job, file: bundle.file, cacheFile: codeCacheFile(bundle.file) }, transfer);
    });
  }

  private settle(how: (pending: Pending) => void): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.worker.unref();
    how(pending);
  }

  private interrupt(): void {
    this.close();
    this.settle((p) => p.reject(this.errors.interrupted(this.options.signal)));
  }
}
