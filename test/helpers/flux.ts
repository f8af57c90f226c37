// Real Flux controllers for integration tests: source-controller and kustomize-controller v1.9.6 (built by
// test/flux/flux.sh into ~/.cache/kc/tools), started once per test run against the test cluster (or reused when
// already running there), plus helpers to apply Flux objects and wait, bounded, for their conditions.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { kubeconfigPath, makeKubeConfig } from '../integration/helpers/cluster.js';
import { repoRoot } from './run-cli.js';

const SCRIPT = path.join(repoRoot, 'test/flux/flux.sh');
const UP_TIMEOUT_MS = 60 * 60 * 1000; // only reached when a controller is not cached yet (cold build: minutes)
const LOG_TAIL_CHARS = 6000;

/** A tool test/flux/flux.sh builds. */
export type FluxTool = 'source-controller' | 'kustomize-controller' | 'sops' | 'age-keygen';

/** The running controllers, as ensureFlux() found or started them. */
export interface FluxHandle {
  /** Where the controllers run (RUNTIME_NAMESPACE); objects may live in any namespace (they watch all). */
  namespace: 'flux-system';
  /** `127.0.0.1:PORT` of source-controller's artifact server (status.artifact.url points there). */
  storageAddr: string;
  /** The kubeconfig the controllers use (the test cluster's). */
  kubeconfig: string;
  /** True if this call started them, false if they were already running. */
  started: boolean;
  /** What both controllers logged since this handle was made (the last few KB of each), for failure messages. */
  logs(): string;
}

interface UpAnswer {
  namespace: 'flux-system';
  storageAddr: string;
  kubeconfig: string;
  started: boolean;
  logs: string[];
}

let pending: Promise<FluxHandle> | undefined;

/** Runs flux.sh asynchronously (the event loop keeps going while a controller starts); resolves stdout. */
function runScript(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SCRIPT, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const why = signal ?? `exit ${code}`;
      if (code === 0) resolve(stdout);
      else reject(new Error(`bash test/flux/flux.sh ${args.join(' ')} failed (${why}):\n${stderr}`));
    });
  });
}

/**
 * Makes sure source-controller and kustomize-controller run against the test cluster and answers where: starts them
 * once per test run (`flux.sh up`, which installs the CRDs and namespace flux-system) or reuses running ones.
 */
export function ensureFlux(): Promise<FluxHandle> {
  pending ??= (async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, KC_FLUX_KUBECONFIG: kubeconfigPath() };
    // The integration global teardown stops the controllers only if this run started them.
    if (process.env.KC_TEST_RUN_ID) env.KC_FLUX_OWNER = process.env.KC_TEST_RUN_ID;
    const out = await runScript(['up'], env, UP_TIMEOUT_MS);
    const answer = JSON.parse(out.trim().split('\n').pop() ?? '') as UpAnswer;
    const offsets = answer.logs.map((file) => (fs.existsSync(file) ? fs.statSync(file).size : 0));
    const logs = () =>
      answer.logs
        .map((file, i) => {
          const text = fs.existsSync(file) ? fs.readFileSync(file).subarray(offsets[i]).toString('utf8') : '';
          return `==== ${path.basename(file)} ====\n${text.slice(-LOG_TAIL_CHARS)}`;
        })
        .join('\n');
    return { ...answer, namespace: 'flux-system', logs };
  })();
  pending.catch(() => (pending = undefined)); // a failed start is retried by the next caller
  return pending;
}

const toolPaths = new Map<FluxTool, string>();

/** The absolute path of a tool flux.sh builds (sops, age-keygen, the controllers); builds it if not cached. */
export function fluxToolPath(tool: FluxTool): string {
  const known = toolPaths.get(tool);
  if (known) return known;
  const res = spawnSync('bash', [SCRIPT, 'path', tool], { encoding: 'utf8', timeout: UP_TIMEOUT_MS });
  const found = res.stdout?.trim();
  if (res.status !== 0 || !found || !fs.existsSync(found)) {
    throw new Error(`bash test/flux/flux.sh path ${tool} failed (${res.error?.message ?? `exit ${res.status}`}):\n` +
      `${res.stderr ?? ''}`);
  }
  toolPaths.set(tool, found);
  return found;
}

/** A Flux object (or any namespaced custom object) by kind, name and namespace. */
export interface FluxRef {
  kind: string;
  name: string;
  namespace: string;
}

/** A Kubernetes condition as Flux writes it. */
export interface FluxCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

/** A Flux object as read from the API server. */
export interface FluxObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; generation?: number; [key: string]: unknown };
  spec: Record<string, unknown>;
  status?: { conditions?: FluxCondition[]; observedGeneration?: number; [key: string]: unknown };
}

const KINDS: Record<string, { group: string; version: string; plural: string }> = {
  OCIRepository: { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'ocirepositories' },
  GitRepository: { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'gitrepositories' },
  Bucket: { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'buckets' },
  HelmRepository: { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'helmrepositories' },
  HelmChart: { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'helmcharts' },
  Kustomization: { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations' },
};

function kindInfo(kind: string) {
  const info = KINDS[kind];
  if (!info) throw new Error(`unknown Flux kind ${kind} (known: ${Object.keys(KINDS).join(', ')})`);
  return info;
}

/** Server-side applies objects (field manager kc-test, forced), in order; answers what the API server stored. */
export async function applyObjects<T extends k8s.KubernetesObject>(
  objects: T[],
  kc: k8s.KubeConfig = makeKubeConfig(),
): Promise<T[]> {
  const client = k8s.KubernetesObjectApi.makeApiClient(kc);
  const stored: T[] = [];
  for (const obj of objects) {
    stored.push(
      await client.patch(obj, undefined, undefined, 'kc-test', true, k8s.PatchStrategy.ServerSideApply),
    );
  }
  return stored;
}

/** Reads a Flux object; undefined if it does not exist. */
export async function readFluxObject(
  ref: FluxRef,
  kc: k8s.KubeConfig = makeKubeConfig(),
): Promise<FluxObject | undefined> {
  const { group, version, plural } = kindInfo(ref.kind);
  try {
    return (await kc.makeApiClient(k8s.CustomObjectsApi).getNamespacedCustomObject({
      group,
      version,
      plural,
      namespace: ref.namespace,
      name: ref.name,
    })) as FluxObject;
  } catch (err) {
    if (err instanceof k8s.ApiException && err.code === 404) return undefined;
    throw err;
  }
}

/** A condition of a Flux object, if it has one of that type. */
export function fluxCondition(obj: FluxObject | undefined, type: string): FluxCondition | undefined {
  return obj?.status?.conditions?.find((c) => c.type === type);
}

/** Asks the controller to reconcile now (the `reconcile.fluxcd.io/requestedAt` annotation `flux reconcile` sets). */
export async function requestReconcile(ref: FluxRef, kc: k8s.KubeConfig = makeKubeConfig()): Promise<void> {
  const { group, version } = kindInfo(ref.kind);
  const patch = {
    apiVersion: `${group}/${version}`,
    kind: ref.kind,
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      annotations: { 'reconcile.fluxcd.io/requestedAt': new Date().toISOString() },
    },
  };
  await k8s.KubernetesObjectApi.makeApiClient(kc).patch(
    patch,
    undefined,
    undefined,
    'kc-test-reconcile',
    undefined, // force is for apply patches only
    k8s.PatchStrategy.MergePatch,
  );
}

/** How long and how often to poll, and whose logs to show when the time runs out. */
export interface FluxWaitOptions {
  /** Default 90 s. */
  timeoutMs?: number;
  /** Default 500 ms. */
  intervalMs?: number;
  /** Its logs() go into the timeout error. */
  flux?: FluxHandle;
  kc?: k8s.KubeConfig;
  /**
   * Also wait until status.lastAppliedRevision names this revision (a digest): kustomize-controller can show
   * Ready=True for the generation a moment before the applied revision is written (seen once in CI).
   */
  revision?: string;
}

function describeConditions(obj: FluxObject | undefined): string {
  if (!obj) return 'the object does not exist';
  const conditions = obj.status?.conditions ?? [];
  if (conditions.length === 0) return 'no conditions yet';
  return conditions.map((c) => `${c.type}=${c.status} (${c.reason ?? ''}: ${c.message ?? ''})`).join('; ');
}

/**
 * Polls a Flux object until its condition `type` has `status` for its current generation (the condition's
 * observedGeneration: the controller has judged the latest spec) and answers the object. Bounded by timeoutMs; the
 * error names every condition and the logs.
 */
export async function waitForFluxCondition(
  ref: FluxRef,
  type: string,
  status: 'True' | 'False',
  options: FluxWaitOptions = {},
): Promise<FluxObject> {
  const { timeoutMs = 90_000, intervalMs = 500, flux, kc = makeKubeConfig(), revision } = options;
  const deadline = Date.now() + timeoutMs;
  let last: FluxObject | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await readFluxObject(ref, kc);
      lastError = undefined;
      const found = fluxCondition(last, type);
      // Flux stamps each condition with the generation it judged; status.observedGeneration moves only on success.
      const judged = found?.observedGeneration ?? last?.status?.observedGeneration;
      const applied = String(last?.status?.lastAppliedRevision ?? '');
      const revisionShown = revision === undefined || applied.includes(revision);
      if (found?.status === status && judged === last?.metadata.generation && revisionShown) return last!;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() + intervalMs > deadline) break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const what = `${ref.kind} ${ref.namespace}/${ref.name}`;
  const seen = lastError ? `last read failed: ${String(lastError)}` : describeConditions(last);
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what} ${type}=${status}; ${seen}` +
      (flux ? `\n${flux.logs()}` : ''),
  );
}

/** Waits until a Flux object is Ready=True for its current generation (see waitForFluxCondition). */
export function waitForFluxReady(ref: FluxRef, options: FluxWaitOptions = {}): Promise<FluxObject> {
  return waitForFluxCondition(ref, 'Ready', 'True', options);
}
