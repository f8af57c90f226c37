// Trust, one kind per verifier: a signature found in the registry is judged by each verifier the user trusts. Only
// public keys exist today; a keyless verifier (Fulcio certificate + Rekor entry in the bundle) can be added beside
// keyVerifier without touching discovery or the verdict.
import crypto from 'node:crypto';
import { parseBundle, statementClaims } from './cosign-bundle.js';
import type { PublicKey } from './cosign-key.js';
import { dsseSignedBy } from './dsse.js';
import { parseSimpleSigningPayload } from './simple-signing.js';

/** Where cosign keeps a signature: the OCI 1.1 referrers API, its fallback tag `sha256-<hex>`, or the `.sig` tag. */
export type SignatureSource = 'referrers' | 'fallback-tag' | 'legacy-tag';

/** One signature as stored in the registry, before any trust is applied. */
export type FoundSignature =
  | {
      format: 'simple-signing';
      source: 'legacy-tag';
      /** The signature manifest's tag or digest and the layer's index, for messages. */
      where: string;
      /** The exact payload bytes (the layer blob). */
      payload: Buffer;
      /** base64 DER, from the layer's `dev.cosignproject.cosign/signature` annotation. */
      signature: string;
      annotations: Record<string, string>;
    }
  | { format: 'bundle'; source: 'referrers' | 'fallback-tag'; where: string; bundle: Buffer };

/** A verifier's judgement of one signature for one digest. */
export type Verdict =
  | { status: 'valid'; signer: string }
  /** Not made by anything this verifier trusts. */
  | { status: 'untrusted' }
  /** Validly signed, but for another digest: the artifact was moved or tampered with. */
  | { status: 'digest-mismatch'; claimed: string; signer: string }
  /** Not something this verifier judges (another trust kind, an attestation, a malformed entry). */
  | { status: 'not-applicable'; why: string };

/** One kind of trust (public keys today; keyless later), judging found signatures. */
export interface SignatureVerifier {
  /** What it trusts, for messages: `key cosign.pub`. */
  readonly describe: string;
  verify(found: FoundSignature, digest: string): Verdict;
}

function verifyDer(payload: Buffer, key: PublicKey, signatureB64: string): boolean {
  try {
    return crypto.verify('sha256', payload, key.key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false; // not DER
  }
}

function judgeSimpleSigning(
  found: Extract<FoundSignature, { format: 'simple-signing' }>,
  digest: string,
  keys: readonly PublicKey[],
): Verdict {
  const signer = keys.find((key) => verifyDer(found.payload, key, found.signature));
  if (!signer) return { status: 'untrusted' };
  const claims = parseSimpleSigningPayload(found.payload);
  if (!claims) return { status: 'not-applicable', why: 'the signed payload is not a cosign simple-signing payload' };
  if (claims.digest !== digest) return { status: 'digest-mismatch', claimed: claims.digest, signer: signer.source };
  return { status: 'valid', signer: signer.source };
}

function judgeBundle(
  found: Extract<FoundSignature, { format: 'bundle' }>,
  digest: string,
  keys: readonly PublicKey[],
): Verdict {
  const bundle = parseBundle(found.bundle);
  if (typeof bundle === 'string') return { status: 'not-applicable', why: bundle };
  const claims = statementClaims(bundle.envelope);
  if ('notSignature' in claims) return { status: 'not-applicable', why: claims.notSignature };
  // The hint only orders the keys: it is unsigned, so every key is still tried.
  const hint = bundle.material.kind === 'public-key' ? bundle.material.hint : undefined;
  const ordered = [...keys].sort((a, b) => Number(b.hint === hint) - Number(a.hint === hint));
  const signer = ordered.find((key) => dsseSignedBy(bundle.envelope, key.key));
  if (!signer) return { status: 'untrusted' };
  if (!claims.digests.includes(digest))
    return { status: 'digest-mismatch', claimed: claims.digests.join(', ') || 'no digest', signer: signer.source };
  return { status: 'valid', signer: signer.source };
}

/** Trusts signatures made by any of these public keys, in both cosign formats (as `cosign verify --key`). */
export function keyVerifier(keys: readonly PublicKey[]): SignatureVerifier {
  return {
    describe: keys.length === 1 ? `key ${keys[0].source}` : `keys ${keys.map((k) => k.source).join(', ')}`,
    verify: (found, digest) =>
      found.format === 'bundle' ? judgeBundle(found, digest, keys) : judgeSimpleSigning(found, digest, keys),
  };
}
