export { ALLOWED_MODULES, ENV_PROBES, REFUSED_REASONS, STUBBED_MODULES, childSource } from './child-source.js';
export { SANDBOX_LIMITS, runSandboxed, sandboxArgs, sandboxProgram, type SandboxLimits, type SandboxRequest } from './run.js';
export { sandboxedBundle } from './bundle.js';
export { loadChart, type LoadChartContext, type RunnableChart } from './load-chart.js';
