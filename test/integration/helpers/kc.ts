// Runs kc against the test cluster: in-process (fast) or as a child process (for signals and kill -9).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { repoRoot, runCli, type CliRun } from '../../helpers/run-cli.js';
import { kubeconfigPath, makeKubeConfig, waitFor } from './cluster.js';

/** Runs a kc command in-process against the test cluster and namespace. */
export function kcIn(namespace: string, args: string[], options: { stdin?: string } = {}): Promise<CliRun> {
  return runCli([...args, '--kubeconfig', kubeconfigPath(), '-n', namespace], options);
}

/** A kc child process and its output so far. */
export interface KcProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node bin/kc.cjs ARGS` against the test cluster (dist/ must be built: `npm test` builds it). */
export function spawnKc(namespace: string, args: string[], env: Record<string, string> = {}, kubeconfig = kubeconfigPath()): KcProcess {
  let out = '';
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/kc.cjs'), ...args, '--kubeconfig', kubeconfig, '-n', namespace], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exited };
}

/** The image of a Deployment's first container. */
export async function deploymentImage(namespace: string, name: string): Promise<string | undefined> {
  const apps = makeKubeConfig().makeApiClient(k8s.AppsV1Api);
  const d = await apps.readNamespacedDeployment({ name, namespace });
  return d.spec?.template.spec?.containers[0]?.image;
}

/** Secrets of a namespace (name → decoded data), to inspect release records. */
export async function secretsOf(namespace: string): Promise<k8s.V1Secret[]> {
  const core = makeKubeConfig().makeApiClient(k8s.CoreV1Api);
  return (await core.listNamespacedSecret({ namespace })).items;
}

/** The holder of a release's lock Lease, once it exists. */
export async function waitForLease(namespace: string, release: string, timeoutMs = 30_000): Promise<k8s.V1Lease> {
  const coord = makeKubeConfig().makeApiClient(k8s.CoordinationV1Api);
  return waitFor(() => coord.readNamespacedLease({ name: `kc-lock.${release}`, namespace }), { timeoutMs, description: `lease of ${release}` });
}

/** Revisions of a release as `kc history -o json` prints them. */
export async function historyOf(namespace: string, release: string): Promise<{ revision: number; status: string; description: string; chart: { version: string } }[]> {
  const run = await kcIn(namespace, ['history', release, '-o', 'json']);
  if (run.code !== 0) throw new Error(`kc history failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}
