// Jest globalTeardown for the integration project: stops the Flux controllers if this run started them (ensureFlux()
// in test/helpers/flux.ts records the run's KC_TEST_RUN_ID as their owner); controllers someone started by hand
// (`npm run flux:up`) or another run started are left running.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fluxScript = fileURLToPath(new URL('../../flux/flux.sh', import.meta.url));

export default function globalTeardown(): void {
  const runId = process.env.KC_TEST_RUN_ID;
  if (!runId) return; // global setup did not get that far: nothing of ours can be running
  // flux.sh signals only pids it recorded whose command line is its own link; bounded: 10 s TERM then KILL each.
  const res = spawnSync('bash', [fluxScript, 'down', '--owner', runId], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (res.error || res.status !== 0) {
    throw new Error(`\`bash test/flux/flux.sh down --owner ${runId}\` failed: ${res.error?.message ?? res.stderr}`);
  }
}
