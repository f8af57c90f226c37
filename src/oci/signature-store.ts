// Signing and verifying an artifact's manifest digest in its registry, as cosign does with a key (offline: no
// transparency log). kc writes cosign's legacy `.sig` image, which every cosign since v1 verifies; it verifies that
// and cosign v3's bundles (referrers) alike.
import crypto from 'node:crypto';
import { KcError } from '../errors/index.js';
import type { PublicKey, SigningKey } from './cosign-key.js';
import { OCI_MANIFEST } from './media-types.js';
import {
  findSignatures,
  SIGNATURE_ANNOTATION,
  signatureTag,
  SIMPLE_SIGNING_MEDIA_TYPE,
} from './signature-discovery.js';
import {
  keyVerifier,
  type FoundSignature,
  type SignatureSource,
  type SignatureVerifier,
} from './signature-verifier.js';
import { simpleSigningPayload } from './simple-signing.js';
import type { Descriptor, RegistryClient, RepositoryRef } from './types.js';

/** The config media type of cosign's signature image. */
export const SIGNATURE_CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';
// go-containerregistry's zero time, which cosign's signature image carries as its creation time.
const ZERO_TIME = '0001-01-01T00:00:00Z';

const sha256 = (bytes: Buffer) => `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;

/** A descriptor in go-containerregistry's field order (mediaType, size, digest, annotations), as cosign marshals it. */
function ggcrDescriptor(d: Descriptor): Record<string, unknown> {
  return {
    mediaType: d.mediaType,
    size: d.size,
    digest: d.digest,
    ...(d.annotations ? { annotations: d.annotations } : {}),
  };
}

/** cosign's signature image for these layers: its config blob and manifest bytes, exactly as cosign writes them. */
export function buildSignatureImage(layers: readonly Descriptor[]): { config: Buffer; manifest: Buffer } {
  const config = Buffer.from(
    JSON.stringify({
      architecture: '',
      created: ZERO_TIME,
      history: layers.map(() => ({ created: ZERO_TIME })),
      os: '',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      config: {},
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: ggcrDescriptor({ mediaType: SIGNATURE_CONFIG_MEDIA_TYPE, size: config.length, digest: sha256(config) }),
      layers: layers.map(ggcrDescriptor),
    }),
  );
  return { config, manifest };
}

/** What signArtifact did. */
export interface SignResult {
  /** `registry/repository:sha256-<hex>.sig` */
  reference: string;
  /** The signature manifest's digest. */
  manifestDigest: string;
  /** False when this key had already signed the digest there (signing again changes nothing, as cosign). */
  appended: boolean;
}

/** The layers already in the `.sig` manifest, in order, and its digest; no layers when the tag does not exist. */
async function existingImage(
  client: RegistryClient,
  repo: RepositoryRef,
  tag: string,
): Promise<{ layers: Descriptor[]; digest?: string }> {
  const fetched = await client.getManifest(repo, tag, [OCI_MANIFEST]);
  if (!fetched) return { layers: [] };
  let manifest: any;
  try {
    manifest = JSON.parse(fetched.bytes.toString('utf8'));
  } catch {
    manifest = undefined;
  }
  if (!Array.isArray(manifest?.layers)) {
    throw new KcError('SIGNATURE_INVALID', `the signature tag ${tag} holds no image manifest`, {
      hint: 'delete the tag, then sign again',
    });
  }
  return { layers: manifest.layers as Descriptor[], digest: fetched.digest };
}

/**
 * Signs a manifest digest with a cosign key: ECDSA P-256 over cosign's simple-signing payload, appended as a layer of
 * the `sha256-<hex>.sig` image (other signatures there are kept; the same key signing again adds nothing).
 */
export async function signArtifact(
  client: RegistryClient,
  repo: RepositoryRef,
  digest: string,
  key: SigningKey,
): Promise<SignResult> {
  const tag = signatureTag(digest);
  const reference = `${repo.registry}/${repo.repository}:${tag}`;
  const payload = simpleSigningPayload(repo, digest);
  const payloadDigest = sha256(payload);
  const { layers, digest: current } = await existingImage(client, repo, tag);
  const already = layers.some((l) => {
    const sig = l.annotations?.[SIGNATURE_ANNOTATION];
    return l.digest === payloadDigest && typeof sig === 'string' && verifies(payload, key.publicKey, sig);
  });
  if (already && current) return { reference, manifestDigest: current, appended: false };
  const signature = crypto.sign('sha256', payload, key.privateKey).toString('base64');
  const layer = await client.pushBlob(repo, payload, SIMPLE_SIGNING_MEDIA_TYPE);
  const all = [
    ...layers,
    {
      mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
      size: layer.size,
      digest: layer.digest,
      annotations: { [SIGNATURE_ANNOTATION]: signature },
    },
  ];
  const image = buildSignatureImage(all);
  await client.pushBlob(repo, image.config, SIGNATURE_CONFIG_MEDIA_TYPE);
  const manifestDigest = await client.putManifest(repo, tag, image.manifest, OCI_MANIFEST);
  return { reference, manifestDigest, appended: true };
}

function verifies(payload: Buffer, key: PublicKey, signatureB64: string): boolean {
  try {
    return crypto.verify('sha256', payload, key.key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

/** A signature that one of the trusted keys made for the digest. */
export interface VerifiedSignature {
  source: SignatureSource;
  format: FoundSignature['format'];
  /** The key (file) that made it. */
  signer: string;
  where: string;
}

/** What verifyArtifact found: the valid signatures (at least one) and how many signatures were judged. */
export interface VerifyResult {
  digest: string;
  valid: VerifiedSignature[];
  found: number;
}

/** Judges found signatures against the verifiers; throws SIGNATURE_INVALID saying why none is valid. */
export function judgeSignatures(
  label: string,
  digest: string,
  found: readonly FoundSignature[],
  verifiers: readonly SignatureVerifier[],
): VerifyResult {
  const valid: VerifiedSignature[] = [];
  const mismatches: string[] = [];
  const skipped: string[] = [];
  let judged = 0;
  for (const sig of found) {
    const verdicts = verifiers.map((verifier) => verifier.verify(sig, digest));
    for (const verdict of verdicts) {
      if (verdict.status === 'valid')
        valid.push({ source: sig.source, format: sig.format, signer: verdict.signer, where: sig.where });
      if (verdict.status === 'digest-mismatch') mismatches.push(verdict.claimed);
    }
    // An attestation or a malformed entry is no signature: an artifact that has only those is unsigned.
    const reasons = verdicts.flatMap((v) => (v.status === 'not-applicable' ? [v.why] : []));
    if (reasons.length === verdicts.length) skipped.push(`${sig.where}: ${reasons[0]}`);
    else judged++;
  }
  if (valid.length > 0) return { digest, valid, found: judged };
  const trusted = verifiers.map((v) => v.describe).join(' or ');
  if (judged === 0) {
    throw new KcError('SIGNATURE_INVALID', `${label} is unsigned: no cosign signature of ${digest} in the registry`, {
      details: skipped.map((s) => `skipped ${s}`),
      hint: 'sign it with `kc sign --key cosign.key` (or `cosign sign --key`), or pull it without --verify',
    });
  }
  if (mismatches.length > 0) {
    throw new KcError(
      'SIGNATURE_INVALID',
      `${label}: the signature by ${trusted} is for ${mismatches[0]}, not ${digest}: ` +
        'the artifact was moved or tampered with',
      {
        hint: 'do not use this artifact; ask its publisher to sign the digest they published',
      },
    );
  }
  throw new KcError(
    'SIGNATURE_INVALID',
    `${label} has ${judged} signature${judged === 1 ? '' : 's'}, none valid for ${trusted}`,
    {
      hint: 'check that --key is the public half of the key the artifact was signed with',
    },
  );
}

/** Requires a valid cosign signature of the digest by one of the public keys; throws SIGNATURE_INVALID otherwise. */
export async function verifyArtifact(
  client: RegistryClient,
  repo: RepositoryRef,
  digest: string,
  publicKeys: readonly PublicKey[],
  verifiers: readonly SignatureVerifier[] = [],
): Promise<VerifyResult> {
  const all = publicKeys.length > 0 ? [keyVerifier(publicKeys), ...verifiers] : [...verifiers];
  if (all.length === 0)
    throw new KcError('USAGE', 'verifying a signature needs a public key', { hint: 'pass --key cosign.pub' });
  const found = await findSignatures(client, repo, digest);
  return judgeSignatures(`${repo.registry}/${repo.repository}@${digest}`, digest, found, all);
}
