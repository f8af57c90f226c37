// Sigstore bundles as cosign v3 stores image signatures: a DSSE envelope around an in-toto statement whose subject
// is the signed manifest's digest and whose predicate type says "this is a signature", not another attestation.
import { IN_TOTO_PAYLOAD_TYPE, parseDsseEnvelope, type DsseEnvelope } from './dsse.js';

/** The media types a Sigstore bundle v0.3 goes by (the layer's, and the bundle's own `mediaType`). */
export const BUNDLE_MEDIA_TYPES = [
  'application/vnd.dev.sigstore.bundle.v0.3+json',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
];

/** The predicate type of `cosign sign` in the bundle format (an attestation has another). */
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';

/** The parts of a bundle a verifier reads: its envelope and how it says the signer is identified. */
export interface ParsedBundle {
  envelope: DsseEnvelope;
  /** `publicKey` (a key-based signature, with cosign's hint) or `certificate` (keyless, Fulcio). */
  material: { kind: 'public-key'; hint?: string } | { kind: 'certificate' } | { kind: 'unknown' };
  /** Transparency-log entries, for a keyless verifier; key-based offline verification ignores them, as cosign does. */
  tlogEntries: unknown[];
}

/** Reads a bundle's JSON; a string saying what is wrong when it is not a DSSE bundle. */
export function parseBundle(bytes: Buffer): ParsedBundle | string {
  let json: any;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'the bundle is not JSON';
  }
  if (!BUNDLE_MEDIA_TYPES.includes(json?.mediaType))
    return `bundle media type ${JSON.stringify(json?.mediaType)} is not v0.3`;
  const envelope = parseDsseEnvelope(json.dsseEnvelope);
  if (!envelope) return 'the bundle holds no DSSE envelope (a message signature is not an image signature)';
  const vm = json.verificationMaterial ?? {};
  const material: ParsedBundle['material'] = vm.publicKey
    ? { kind: 'public-key', hint: typeof vm.publicKey.hint === 'string' ? vm.publicKey.hint : undefined }
    : vm.certificate || vm.x509CertificateChain
      ? { kind: 'certificate' }
      : { kind: 'unknown' };
  return { envelope, material, tlogEntries: Array.isArray(vm.tlogEntries) ? vm.tlogEntries : [] };
}

/** What a signed statement claims: the digests of its subjects, or why it is not a cosign signature statement. */
export function statementClaims(envelope: DsseEnvelope): { digests: string[] } | { notSignature: string } {
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) return { notSignature: `payload type ${envelope.payloadType}` };
  let statement: any;
  try {
    statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
  } catch {
    return { notSignature: 'its statement is not JSON' };
  }
  if (statement?.predicateType !== COSIGN_SIGN_PREDICATE) {
    return { notSignature: `an attestation (${String(statement?.predicateType)}), not a signature` };
  }
  const subjects: unknown[] = Array.isArray(statement.subject) ? statement.subject : [];
  const digests = subjects
    .map((s) => (s as { digest?: { sha256?: unknown } })?.digest?.sha256)
    .filter((hex): hex is string => typeof hex === 'string')
    .map((hex) => `sha256:${hex}`);
  return { digests };
}
