// How far Flux has got with one release: a Kustomization's status judged against the digest kc published.
import type { KubeObject } from '../kube/types.js';

/** A release's state under Flux, with Flux's own reason and message. */
export interface FluxReleaseState {
  release: string;
  /** ready: applied this digest and healthy; failed: Flux gave up on it; progressing: not yet either. */
  state: 'ready' | 'progressing' | 'failed';
  /** Flux's reason (ReconciliationSucceeded, HealthCheckFailed, DependencyNotReady, …). */
  reason?: string;
  message?: string;
  /** The revision Flux last applied (`<tag>@sha256:…` or `sha256:…`). */
  appliedRevision?: string;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

/** Reasons after which Flux will not succeed on its own for this revision (it retries, but the cause is ours). */
const FAILED_REASONS = new Set([
  'HealthCheckFailed',
  'BuildFailed',
  'ArtifactFailed',
  'ReconciliationFailed',
  'PruneFailed',
  'DecryptionFailed',
]);

const mentions = (revision: string | undefined, digest: string) => Boolean(revision && revision.endsWith(digest));

/**
 * Judges a Kustomization against the digest it should apply: ready only when Flux applied that digest for the
 * current generation and says Ready; failed when its last attempt at that digest ended with a failure reason.
 */
export function judgeKustomization(
  release: string,
  kustomization: KubeObject | undefined,
  digest: string,
): FluxReleaseState {
  if (!kustomization)
    return { release, state: 'progressing', reason: 'NotFound', message: 'the Kustomization does not exist yet' };
  const status = (kustomization.status ?? {}) as {
    conditions?: Condition[];
    observedGeneration?: number;
    lastAppliedRevision?: string;
    lastAttemptedRevision?: string;
  };
  const generation = kustomization.metadata?.generation;
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  const base = { release, ...(status.lastAppliedRevision ? { appliedRevision: status.lastAppliedRevision } : {}) };
  const reason = ready?.reason;
  const message = ready?.message;
  const described = { ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
  // A status written for an older spec says nothing about this digest. Flux stamps each condition with the generation
  // it judged; status.observedGeneration moves only on success, so a failure is read from the condition's own.
  const judged = ready?.observedGeneration ?? status.observedGeneration;
  const current = generation === undefined || judged === generation;
  if (!current || !ready) return { ...base, state: 'progressing', ...described };
  if (ready.status === 'True' && mentions(status.lastAppliedRevision, digest))
    return { ...base, state: 'ready', ...described };
  if (
    ready.status === 'False' &&
    reason &&
    FAILED_REASONS.has(reason) &&
    mentions(status.lastAttemptedRevision, digest)
  ) {
    return { ...base, state: 'failed', ...described };
  }
  return { ...base, state: 'progressing', ...described };
}
