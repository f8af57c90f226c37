// cosign's "simple signing" payload: what a legacy `.sig` signature signs (sigstore/sigstore payload.go).
import type { RepositoryRef } from './types.js';

/** The `type` every cosign image signature payload carries. */
export const SIMPLE_SIGNING_TYPE = 'cosign container image signature';

/** The identity cosign writes: go-containerregistry's repository name (Docker Hub is `index.docker.io`). */
export function dockerReference(repo: RepositoryRef): string {
  const registry = repo.registry === 'docker.io' ? 'index.docker.io' : repo.registry;
  return `${registry}/${repo.repository}`;
}

/** The payload bytes cosign signs for a manifest digest, byte for byte (key order and `"optional":null`). */
export function simpleSigningPayload(repo: RepositoryRef, digest: string): Buffer {
  // JSON.stringify keeps insertion order, which is the order of go's struct fields cosign marshals.
  const payload = {
    critical: {
      identity: { 'docker-reference': dockerReference(repo) },
      image: { 'docker-manifest-digest': digest },
      type: SIMPLE_SIGNING_TYPE,
    },
    optional: null,
  };
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

/** What a payload claims, or undefined when it is not a cosign simple-signing payload. */
export function parseSimpleSigningPayload(bytes: Buffer): { digest: string; reference: string } | undefined {
  let parsed: any;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const critical = parsed?.critical;
  const digest = critical?.image?.['docker-manifest-digest'];
  if (critical?.type !== SIMPLE_SIGNING_TYPE || typeof digest !== 'string') return undefined;
  const reference = critical?.identity?.['docker-reference'];
  return { digest, reference: typeof reference === 'string' ? reference : '' };
}
