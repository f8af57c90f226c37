// SOPS encryption is random (data key, IVs, age's ephemeral keys), so an environment holding Secrets would get a new
// digest on every publish, and `kc deploy` (engine flux) a new revision for nothing. The ciphertext of a Secret is
// therefore kept after it is published and used again while the Secret and the recipients are unchanged. The entry
// is found by an HMAC of the plaintext under a key that never leaves the machine (a plain hash would let anyone with
// the cache test guesses of a password); equal values are not revealed in the artifact, as each Secret is its own
// SOPS document. A machine without the entry (a fresh CI runner) encrypts anew: same digest needs the same cache.
import crypto from 'node:crypto';
import type { KubeObject } from '../synth/order.js';
import type { SecretEncrypter } from './publish-secrets.js';
import { compareText } from '../compare-text.js';

/** Where used ciphertexts are kept (a folder of the cache by default, memory in tests). */
export interface CiphertextStore {
  /** The machine's HMAC key (32 random bytes), created on first use. */
  key(): Buffer;
  get(id: string): string | undefined;
  put(id: string, text: string): void;
}

/** Keys with sorted object keys, so that the same Secret is the same text whatever order its fields were built in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => compareText(a, b)))
      : v,
  );
}

const ENCRYPTED_FIELDS = ['data', 'stringData'] as const;

/** The parts SOPS leaves in the clear, and the names of the encrypted values: what a reused entry must match. */
function clearShape(o: Record<string, unknown>): string {
  const rest: Record<string, unknown> = { ...o };
  delete rest.sops;
  const keys: Record<string, string[]> = {};
  for (const f of ENCRYPTED_FIELDS) {
    const v = rest[f];
    delete rest[f];
    if (v && typeof v === 'object') keys[f] = Object.keys(v).sort();
  }
  return canonical({ rest, keys });
}

function recipientsOf(o: Record<string, unknown>): string[] | undefined {
  const age = (o.sops as { age?: unknown } | undefined)?.age;
  if (!Array.isArray(age)) return undefined;
  return age.map((a) => String((a as { recipient?: unknown }).recipient)).sort();
}

/** The entry's ciphertext if it is a SOPS document of this Secret for exactly these recipients (else a new one). */
function usable(text: string | undefined, secret: KubeObject, recipients: string[]): KubeObject | undefined {
  if (text === undefined) return undefined;
  let cached: Record<string, unknown>;
  try {
    cached = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!cached || typeof cached !== 'object' || typeof (cached.sops as { mac?: unknown })?.mac !== 'string') return;
  if (canonical(recipientsOf(cached)) !== canonical(recipients)) return undefined;
  if (clearShape(cached) !== clearShape(secret as Record<string, unknown>)) return undefined;
  return cached as KubeObject;
}

/**
 * An encrypter that returns the ciphertext published before for the same Secret, format version and recipients, and
 * otherwise encrypts with `encrypt` and keeps the result.
 */
export function reusingEncrypter(
  encrypt: SecretEncrypter,
  recipients: readonly string[],
  version: string,
  store: CiphertextStore,
): SecretEncrypter {
  const sorted = [...new Set(recipients)].sort();
  return async (secret) => {
    const id = crypto
      .createHmac('sha256', store.key())
      .update(canonical({ format: `sops ${version}`, recipients: sorted, secret }))
      .digest('hex');
    const reused = usable(store.get(id), secret, sorted);
    if (reused) return reused;
    const encrypted = await encrypt(secret);
    // A chart's own SOPS Secret comes back unchanged: nothing to keep.
    if (encrypted !== secret) store.put(id, JSON.stringify(encrypted));
    return encrypted;
  };
}
