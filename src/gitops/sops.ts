// Kubernetes Secrets encrypted in the SOPS format for age recipients, so that a published artifact never holds them
// in plain text and Flux's kustomize-controller decrypts them in the cluster (`decryption.provider: sops`).
// The format is getsops/sops v3.13's (sops.go Tree.Encrypt, aes/cipher.go, stores/stores.go, age/keysource.go):
// - every scalar under a key matching encrypted_regex `^(data|stringData)$` becomes
//   `ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`: AES-256-GCM under one random 32-byte data key, a random 32-byte
//   IV each, the AAD being the value's path of keys joined by ':' plus ':' (`data:password:`); empty strings stay
//   empty;
// - `sops.mac` is SHA-512 over every scalar's plaintext in document order (metadata, kind and type included),
//   uppercase hex, itself encrypted with the AAD `lastmodified`. `sops decrypt` checks it; Flux does not. The
//   document order is that of kc's YAML (keys sorted, src/synth/yaml.ts), and go-yaml, which sops reads with, takes
//   an unquoted `2026-12-06T05:30:07Z` for a timestamp, not a string: toSopsYaml writes what sops reads back;
// - `sops.age[]` holds the data key encrypted for each recipient as an armored age file.
// Same inputs do NOT give the same bytes: the data key, the IVs and age's ephemeral keys are random, so an artifact
// holding Secrets gets a new digest on every publish. Deriving them from the plaintext (an HMAC under a
// per-environment secret) would make publishes repeatable, but equal ciphertexts would then reveal equal values, the
// secret would need keeping in one more place, and age-encryption draws its own randomness (its ephemeral X25519 key
// and payload nonce), which kc could only avoid by writing age's X25519 stanza itself. kc keeps sops's random scheme
// and instead reuses a Secret's earlier ciphertext while it is unchanged (sops-reuse.ts).
import crypto from 'node:crypto';
import { stringify } from 'yaml';
import { KcError } from '../errors/kc-error.js';
import type { KubeObject } from '../synth/order.js';
import { encryptSopsValue, sopsScalar, SOPS_IV_BYTES } from './sops-value.js';

/** The sops release whose format kc writes (the `version` in the `sops` block). */
export const SOPS_VERSION = '3.13.3';

/** The keys whose values kc encrypts: Flux's documented rule, so metadata, kind and apiVersion stay readable. */
export const SOPS_ENCRYPTED_REGEX = '^(data|stringData)$';

/** What encryptSecretForSops needs besides the Secret: the time written as `lastmodified`, and a source of bytes. */
export interface SopsEncryptOptions {
  now: Date;
  /** Random bytes for the data key and the IVs (tests inject their own); node:crypto's randomBytes by default. */
  random?: (n: number) => Buffer;
}

/** The `sops` block of an encrypted object, in the key order sops writes it. */
export interface SopsMetadata {
  age: { recipient: string; enc: string }[];
  lastmodified: string;
  mac: string;
  encrypted_regex: string;
  version: string;
}

// An X25519 recipient: "age1" and 58 bech32 characters (32 bytes and a checksum). Hybrid post-quantum (age1pq1…),
// tag and plugin recipients are refused: kustomize-controller's age may not read them.
const X25519_RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/;

// age-encryption is loaded when a Secret is encrypted, not when kc starts.
const loadAge = () => import('age-encryption');

const DATA_KEY_BYTES = 32;
const encryptedKey = new RegExp(SOPS_ENCRYPTED_REGEX);

function objectName(o: KubeObject): string {
  const ns = o.metadata?.namespace;
  return `${o.kind ?? 'object'} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '(unnamed)'}`;
}

function invalidRecipient(recipient: string, index: number, why: string): KcError {
  const hint = "use the public key of the cluster's age identity, `age-keygen -y key.txt` (age1…, 62 characters)";
  // A recipient is public, but a mistaken entry may be a private key (AGE-SECRET-KEY-1…): only public forms show.
  if (/^AGE-SECRET-KEY-/i.test(recipient)) {
    const message = `gitops.sops.age: entry ${index + 1} is an age identity (a private key), not a recipient`;
    return new KcError('CONFIG_INVALID', message, { hint: `${hint}; keep the identity out of the project` });
  }
  const shown = /^(age1|ssh-)/.test(recipient) ? `"${recipient}"` : `entry ${index + 1}`;
  return new KcError('CONFIG_INVALID', `gitops.sops.age: ${shown} is not an age X25519 recipient (${why})`, { hint });
}

/** Checks every recipient before anything is encrypted; duplicates are kept once. */
async function parseRecipients(recipients: readonly string[]): Promise<string[]> {
  if (recipients.length === 0) {
    throw new KcError('CONFIG_INVALID', 'gitops.sops.age lists no recipient: a Secret would be readable by no one', {
      hint: "add the public key of the cluster's age identity (age1…) to the environment's gitops.sops.age",
    });
  }
  const { Encrypter } = await loadAge();
  for (const [i, r] of recipients.entries()) {
    if (typeof r !== 'string' || !X25519_RECIPIENT.test(r)) {
      throw invalidRecipient(String(r), i, 'expected "age1" and 58 lowercase bech32 characters');
    }
    try {
      new Encrypter().addRecipient(r);
    } catch {
      throw invalidRecipient(r, i, 'its checksum does not match: a character was changed or lost');
    }
  }
  return [...new Set(recipients)];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

type Visit = (value: unknown, path: string[], encrypt: boolean) => unknown;

/**
 * Walks a value in the order kc's YAML lists it (map keys sorted, as yaml's sortMapEntries sorts them) like sops's
 * walkBranch (a list item keeps its list's path); visits each scalar.
 */
function walk(value: unknown, path: string[], encrypt: boolean, visit: Visit): unknown {
  if (Array.isArray(value)) return value.map((item) => walk(item, path, encrypt, visit));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      out[k] = walk(value[k], [...path, k], encrypt || encryptedKey.test(k), visit);
    }
    return out;
  }
  return visit(value, path, encrypt);
}

/**
 * The Secret with every value under `data`/`stringData` encrypted for the age recipients and a `sops` block, in the
 * format Flux's kustomize-controller decrypts; `sops decrypt` also checks its MAC when it is written by toSopsYaml.
 */
export async function encryptSecretForSops(
  secret: KubeObject,
  recipients: readonly string[],
  options: SopsEncryptOptions,
): Promise<KubeObject> {
  const name = objectName(secret);
  if ('sops' in secret) {
    const mac = (secret.sops as { mac?: unknown } | null)?.mac;
    // A chart may ship a Secret it encrypted with sops itself: it is published as it is.
    if (typeof mac === 'string' && mac !== '') return secret;
    throw new KcError('CHART_INVALID', `${name} has a top-level "sops" field that is not a SOPS block (no mac)`, {
      hint: 'remove the "sops" field from the Secret, or encrypt the whole Secret with sops',
    });
  }
  const ages = await parseRecipients(recipients);
  const random = options.random ?? ((n: number) => crypto.randomBytes(n));
  const dataKey = random(DATA_KEY_BYTES);
  const hash = crypto.createHash('sha512');
  const body = walk(secret, [], false, (value, path, encrypt) => {
    if (value === null || value === undefined) return value; // sops neither hashes nor encrypts a null
    const scalar = sopsScalar(value);
    if (!scalar) {
      const what = typeof value === 'number' ? 'non-finite number' : Object.prototype.toString.call(value).slice(8, -1);
      throw new KcError('CHART_INVALID', `${name}: ${path.join('.')} holds a ${what}, not a value YAML can hold`, {
        hint: 'a Kubernetes object holds strings, finite numbers, booleans, lists and maps only',
      });
    }
    hash.update(scalar.bytes);
    if (!encrypt) return value;
    if (scalar.type === 'str' && scalar.bytes.length === 0) return ''; // sops keeps empty strings empty
    return encryptSopsValue(scalar, dataKey, `${path.join(':')}:`, random(SOPS_IV_BYTES));
  }) as KubeObject;
  const lastmodified = options.now.toISOString().replace(/\.\d+Z$/, 'Z'); // Go's time.RFC3339 in UTC
  const macHex = hash.digest('hex').toUpperCase();
  const mac = encryptSopsValue(
    { type: 'str', bytes: Buffer.from(macHex) },
    dataKey,
    lastmodified,
    random(SOPS_IV_BYTES),
  );
  const seal = async (recipient: string) => ({ recipient, enc: await sealDataKey(dataKey, recipient) });
  const age = await Promise.all(ages.map(seal));
  dataKey.fill(0);
  const sops: SopsMetadata = { age, lastmodified, mac, encrypted_regex: SOPS_ENCRYPTED_REGEX, version: SOPS_VERSION };
  return { ...body, sops };
}

/** The data key as an armored age file for one recipient (one file each, as sops writes them). */
async function sealDataKey(dataKey: Buffer, recipient: string): Promise<string> {
  const { Encrypter, armor } = await loadAge();
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  return armor.encode(await encrypter.encrypt(new Uint8Array(dataKey)));
}

/**
 * An encrypted object as YAML that sops reads back value for value: kc's layout (keys sorted, no anchors, no
 * folding), with YAML 1.1's quoting, so strings go-yaml would take for timestamps or numbers (`lastmodified`,
 * `2026-01-01`, `0b101`, `1_000`) stay strings.
 */
export function toSopsYaml(doc: KubeObject): string {
  return stringify(doc, { version: '1.1', sortMapEntries: true, aliasDuplicateObjects: false, lineWidth: 0 });
}
