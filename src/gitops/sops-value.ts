// One SOPS value: the bytes sops hashes and encrypts for a YAML scalar, and its `ENC[AES256_GCM,…]` form.
// Mirrors getsops/sops v3.13 (aes/cipher.go Encrypt, sops.go ToBytes), so `sops decrypt` and Flux read it back.
import crypto from 'node:crypto';

/** The scalar types sops tells apart in `type:`; kc's objects hold no timestamps, bytes or comments. */
export type SopsScalarType = 'str' | 'int' | 'float' | 'bool';

/** A scalar as sops sees it: its type and the plaintext bytes it hashes (MAC) and encrypts. */
export interface SopsScalar {
  type: SopsScalarType;
  bytes: Buffer;
}

/** sops's nonce length (aes/cipher.go nonceSize): 32 bytes, not GCM's usual 12. */
export const SOPS_IV_BYTES = 32;

// JS prints 1e21 or 1e-7 where Go's strconv.FormatFloat(v, 'f', -1, 64) prints every digit: both use the shortest
// digits that round-trip, so moving the decimal point is enough.
function goFloat(value: number): string {
  const text = String(value);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, lead, rest = '', exp] = m;
  const digits = lead + rest;
  const point = 1 + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * How sops reads a scalar kc serializes to YAML: integers are `int` (decimal), other numbers `float`, booleans
 * `True`/`False`; undefined for null/undefined, which sops neither hashes nor encrypts.
 */
export function sopsScalar(value: unknown): SopsScalar | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return { type: 'str', bytes: Buffer.from(value, 'utf8') };
  if (typeof value === 'boolean') return { type: 'bool', bytes: Buffer.from(value ? 'True' : 'False') };
  if (typeof value === 'number' && Number.isFinite(value)) {
    // go-yaml reads a plain integer that fits int64 as int; larger ones and fractions as float64.
    const int = Number.isInteger(value) && Math.abs(value) < 2 ** 63;
    return { type: int ? 'int' : 'float', bytes: Buffer.from(int ? String(value) : goFloat(value)) };
  }
  return undefined;
}

/** AES-256-GCM of one scalar with sops's AAD (its path, `data:password:`), in sops's `ENC[…]` text. */
export function encryptSopsValue(scalar: SopsScalar, key: Buffer, aad: string, iv: Buffer): string {
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(scalar.bytes), cipher.final()]);
  const b64 = (b: Buffer) => b.toString('base64');
  return `ENC[AES256_GCM,data:${b64(data)},iv:${b64(iv)},tag:${b64(cipher.getAuthTag())},type:${scalar.type}]`;
}
