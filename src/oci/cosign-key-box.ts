// The encrypted body of a cosign private key: go-securesystemslib's `encrypted` format, scrypt + NaCl secretbox.
import crypto from 'node:crypto';

/** Why a box did not open: not cosign's format, or the password does not decrypt it. */
export class KeyBoxError extends Error {
  constructor(
    readonly reason: 'malformed' | 'wrong-password',
    message: string,
  ) {
    super(message);
  }
}

// tweetnacl is loaded when a key is opened or sealed, not when kc starts or only verifies with public keys.
const loadNacl = async () => (await import('tweetnacl')).default;

// NaCl secretbox's nonce length (XSalsa20).
const NONCE_BYTES = 24;

/** The scrypt parameters cosign writes (go-securesystemslib `encrypted.Standard`). */
export const COSIGN_SCRYPT = { N: 65536, r: 8, p: 1 } as const;

// scrypt needs 128·N·r bytes; a hostile key file could ask for gigabytes, so the parameters read are bounded.
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

function deriveKey(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const { N, r, p } = params;
  // Node refuses N=65536, r=8 with its default maxmem (32 MiB): scrypt needs 64 MiB plus a little.
  const maxmem = 128 * N * r + 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    crypto.scrypt(Buffer.from(password, 'utf8'), salt, 32, { N, r, p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

function b64(value: unknown, field: string, length?: number): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw malformed(`${field} is not base64`);
  const bytes = Buffer.from(value, 'base64');
  if (length !== undefined && bytes.length !== length) throw malformed(`${field} is not ${length} bytes`);
  return bytes;
}

function malformed(detail: string): KeyBoxError {
  return new KeyBoxError('malformed', `not a cosign encrypted key: ${detail}`);
}

function scryptParams(value: unknown): ScryptParams {
  const params = (value ?? {}) as Record<string, unknown>;
  const { N, r, p } = params;
  const ints = [N, r, p].every((n) => Number.isSafeInteger(n) && (n as number) > 0);
  if (!ints) throw malformed('kdf.params N, r, p must be positive integers');
  const n = N as number;
  if ((n & (n - 1)) !== 0 || n < 2) throw malformed('kdf.params.N must be a power of two');
  if (128 * n * (r as number) > MAX_SCRYPT_MEMORY || (p as number) > 16) throw malformed('kdf.params are too large');
  return { N: n, r: r as number, p: p as number };
}

/** Decrypts a cosign key body (the JSON inside the PEM) with the password; returns the PKCS#8 DER it holds. */
export async function openKeyBox(json: Buffer, password: string): Promise<Buffer> {
  let box: Record<string, any>;
  try {
    box = JSON.parse(json.toString('utf8'));
  } catch {
    throw malformed('its body is not JSON');
  }
  if (box?.kdf?.name !== 'scrypt') throw malformed(`kdf ${JSON.stringify(box?.kdf?.name)} is not scrypt`);
  if (box?.cipher?.name !== 'nacl/secretbox')
    throw malformed(`cipher ${JSON.stringify(box?.cipher?.name)} is not nacl/secretbox`);
  const params = scryptParams(box.kdf.params);
  const salt = b64(box.kdf.salt, 'kdf.salt');
  const nonce = b64(box.cipher.nonce, 'cipher.nonce', NONCE_BYTES);
  const sealed = b64(box.ciphertext, 'ciphertext');
  const [nacl, key] = await Promise.all([loadNacl(), deriveKey(password, salt, params)]);
  const plain = nacl.secretbox.open(sealed, nonce, key);
  key.fill(0);
  if (!plain) throw new KeyBoxError('wrong-password', 'the password does not decrypt it');
  return Buffer.from(plain);
}

/** Encrypts PKCS#8 DER as cosign does: fresh 32-byte salt and 24-byte nonce, JSON in go's field order. */
export async function sealKeyBox(pkcs8: Buffer, password: string): Promise<Buffer> {
  const salt = crypto.randomBytes(32);
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const [nacl, key] = await Promise.all([loadNacl(), deriveKey(password, salt, COSIGN_SCRYPT)]);
  const sealed = nacl.secretbox(pkcs8, nonce, key);
  key.fill(0);
  const box = {
    kdf: {
      name: 'scrypt',
      params: { N: COSIGN_SCRYPT.N, r: COSIGN_SCRYPT.r, p: COSIGN_SCRYPT.p },
      salt: salt.toString('base64'),
    },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(sealed).toString('base64'),
  };
  return Buffer.from(JSON.stringify(box), 'utf8');
}
