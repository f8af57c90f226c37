// Jest globalSetup for the integration project: make sure a cluster is reachable and expose
// its kubeconfig to the test workers through process.env.KC_TEST_KUBECONFIG.
//
// - KC_TEST_KUBECONFIG=path: use that cluster as is (nothing is built or started).
// - otherwise: `bash test/cluster/cluster.sh up` (idempotent: reuses a running cluster,
//   replaces a stale one, builds the binaries on first use).
// Then it builds the real OCI tools (registry, oras, cosign: `bash test/registry/registry.sh build all`, a no-op when
// cached) so that no test file starts a build of its own, and the real Flux parts (source-controller,
// kustomize-controller, sops, age-keygen: `bash test/flux/flux.sh build all`). The controllers are started by the first
// test file that calls ensureFlux() (test/helpers/flux.ts) and stopped by global-teardown.ts if this run started them
// (KC_TEST_RUN_ID names the run).
// Integration tests are never skipped: if no cluster is available, or a tool does not build, this throws.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const clusterScript = fileURLToPath(new URL('../../cluster/cluster.sh', import.meta.url));
const registryScript = fileURLToPath(new URL('../../registry/registry.sh', import.meta.url));
const fluxScript = fileURLToPath(new URL('../../flux/flux.sh', import.meta.url));
const helmScript = fileURLToPath(new URL('../../helm/helm.sh', import.meta.url));
const UP_TIMEOUT_MS = 60 * 60 * 1000; // a cold build of the control plane takes ~20-30 min

function runCluster(command: 'up' | 'kubeconfig'): string {
  const res = spawnSync('bash', [clusterScript, command], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: UP_TIMEOUT_MS,
    // progress goes to the terminal; stdout carries the answer of `kubeconfig`
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (res.error || res.status !== 0) {
    const why = res.error ? res.error.message : `exit code ${res.status}${res.signal ? ` (signal ${res.signal})` : ''}`;
    throw new Error(
      `Integration tests need a Kubernetes cluster, but \`bash test/cluster/cluster.sh ${command}\` failed: ${why}.\n` +
        'See the messages above and test/cluster/README.md (needs Go >= 1.26 and the Go module proxy for the first build), ' +
        'or point the tests at an existing cluster with KC_TEST_KUBECONFIG=/path/to/kubeconfig.',
    );
  }
  return res.stdout.trim();
}

async function checkReachable(path: string): Promise<string> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(path);
  const version = kc.makeApiClient(k8s.VersionApi);
  let lastError: unknown;
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const info = await Promise.race([
        version.getCode(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out after 5 s')), 5000).unref()),
      ]);
      return info.gitVersion;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  throw new Error(`Kubernetes API server from ${path} is not reachable: ${String(lastError)}`);
}

/** Builds a script's tools into the cache (cold: minutes); its progress goes to the terminal as it comes. */
async function buildTools(
  script: string = registryScript,
  what = 'registry, oras and cosign',
  hint = 'See test/registry/README.md (needs Go >= 1.26.7 and the Go module proxy for the first build).',
): Promise<void> {
  const child = spawn('bash', [script, 'build', 'all'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    process.stderr.write(d);
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const timer = setTimeout(() => child.kill('SIGTERM'), UP_TIMEOUT_MS);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  if (code !== 0) {
    // the script names the build log (~/.cache/kc/tools/<name>-<version>/build.log) in its last lines
    throw new Error(
      `Integration tests need ${what}, but \`bash ${script} build all\` failed ` +
        `(${signal ? `signal ${signal}` : `exit code ${code}`}):\n${stderr.trim()}\n` +
        hint,
    );
  }
}

export default async function globalSetup(): Promise<void> {
  let path = process.env.KC_TEST_KUBECONFIG;
  if (path) {
    path = resolve(path);
    if (!existsSync(path)) throw new Error(`KC_TEST_KUBECONFIG=${path} does not exist`);
  } else {
    runCluster('up');
    path = runCluster('kubeconfig');
  }
  const serverVersion = await checkReachable(path);
  await buildTools();
  await buildTools(
    fluxScript,
    'the Flux controllers, sops and age-keygen',
    'See test/flux/README.md (needs Go >= 1.26.0 and the Go module proxy for the first build).',
  );
  await buildTools(
    helmScript,
    'the real Helm (kc adopt helm)',
    'See test/helm/README.md (needs Go and the Go module proxy for the first build).',
  );
  process.env.KC_TEST_RUN_ID ??= `${process.pid}-${randomBytes(6).toString('hex')}`; // whose Flux teardown stops
  process.env.KC_TEST_KUBECONFIG = path; // inherited by the jest workers
  process.stderr.write(`[integration] cluster ${serverVersion}, kubeconfig ${path}\n`);
}
