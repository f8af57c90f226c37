// The kubectl built with the local control plane (same version as the server), found as test/cluster/cluster.sh does.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const clusterScript = fileURLToPath(new URL('../../cluster/cluster.sh', import.meta.url));

/** Path of the kubectl that `cluster.sh build` (or `up`, which the integration global setup runs) put in its cache. */
export function kubectlPath(): string {
  const res = spawnSync('bash', [clusterScript, 'kubectl-path'], { encoding: 'utf8', timeout: 30_000 });
  if (res.status !== 0) {
    throw new Error(`\`bash test/cluster/cluster.sh kubectl-path\` failed (${res.stderr.trim() || res.status}): ` +
      'run `npm run cluster:build` once (it builds kubectl with the control plane)');
  }
  return res.stdout.trim();
}
