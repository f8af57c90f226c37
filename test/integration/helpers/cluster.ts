// Helpers for integration tests against the local control plane (or KC_TEST_KUBECONFIG).
import { randomBytes } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';

/** Path of the kubeconfig chosen by global setup. */
export function kubeconfigPath(): string {
  const path = process.env.KC_TEST_KUBECONFIG;
  if (!path) {
    throw new Error(
      'KC_TEST_KUBECONFIG is not set: run integration tests with `jest --selectProjects integration` ' +
        '(its global setup starts the local cluster) or set KC_TEST_KUBECONFIG yourself.',
    );
  }
  return path;
}

/** A client-node KubeConfig for the test cluster. */
export function makeKubeConfig(): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath());
  return kc;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  description?: string;
}

/**
 * Polls `fn` until it returns a truthy value (which is returned) or the time runs out.
 * Errors thrown by `fn` count as "not yet"; the last one is reported on timeout.
 * Bounded: at most ceil(timeoutMs / intervalMs) + 1 calls.
 */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 60_000, intervalMs = 500, description = 'condition' }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() + intervalMs > deadline) break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const detail = last instanceof Error ? last.message : JSON.stringify(last);
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description} (last: ${detail})`);
}

/** HTTP status of a client-node error, if any. */
export function statusCode(err: unknown): number | undefined {
  return err instanceof k8s.ApiException ? err.code : undefined;
}

export interface TestNamespace {
  name: string;
  /** Deletes the namespace (does not wait for it to disappear); ignores "not found". */
  cleanup(): Promise<void>;
}

/** Creates a uniquely named namespace (ready for pods: default ServiceAccount exists). */
export async function freshNamespace(prefix = 'kc-it', kc: k8s.KubeConfig = makeKubeConfig()): Promise<TestNamespace> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const base = prefix.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'kc-it';
  const name = `${base}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  await core.createNamespace({
    body: { metadata: { name, labels: { 'kc.test/integration': 'true' } } },
  });
  await waitFor(() => core.readNamespacedServiceAccount({ name: 'default', namespace: name }), {
    timeoutMs: 30_000,
    intervalMs: 250,
    description: `ServiceAccount default in namespace ${name}`,
  });
  return {
    name,
    async cleanup() {
      try {
        await core.deleteNamespace({ name });
      } catch (err) {
        if (statusCode(err) !== 404) throw err;
      }
    },
  };
}
