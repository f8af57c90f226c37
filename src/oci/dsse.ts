// DSSE envelopes (github.com/secure-systems-lab/dsse) as cosign v3 bundles carry them: the pre-authentication
// encoding is what is signed, so the payload type cannot be swapped under a signature.
import crypto, { type KeyObject } from 'node:crypto';

/** A DSSE envelope as JSON gives it (payload and signatures base64). */
export interface DsseEnvelope {
  payload: string;
  payloadType: string;
  signatures: { sig: string; keyid?: string }[];
}

/** The in-toto statement type cosign v3 wraps. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths in bytes as decimal. */
export function pae(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

/** True when one of the envelope's signatures is an ECDSA/SHA-256 DER signature of its PAE by the key. */
export function dsseSignedBy(envelope: DsseEnvelope, key: KeyObject): boolean {
  const message = pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
  return envelope.signatures.some((s) => {
    try {
      return crypto.verify('sha256', message, key, Buffer.from(s.sig, 'base64'));
    } catch {
      return false; // not DER: a signature of nothing
    }
  });
}

/** Parses an envelope's shape; undefined when a field is missing or of the wrong type. */
export function parseDsseEnvelope(value: unknown): DsseEnvelope | undefined {
  const e = value as Partial<DsseEnvelope> | undefined;
  if (typeof e?.payload !== 'string' || typeof e.payloadType !== 'string' || !Array.isArray(e.signatures))
    return undefined;
  const signatures = e.signatures.filter((s): s is { sig: string; keyid?: string } => typeof s?.sig === 'string');
  return { payload: e.payload, payloadType: e.payloadType, signatures };
}
