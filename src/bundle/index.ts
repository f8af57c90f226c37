export { buildBundle, type BuiltBundle, type BundleRequest } from './build.js';
export { loadBundle, type LoadedBundle } from './load.js';
export { mapStack, userFrame, type SourceFrame } from './stack.js';
export { appEntry, chartEntry, configEntry } from './entries.js';
export { ChartWorker, type ChartWorkerOptions, type ConfigResult } from './chart-worker.js';
export type { DescribeResult, TestResult } from './chart-worker.js';
export { userCodeAt, type WorkerEnd, type WorkerErrors } from './worker-errors.js';
