// A SOPS reader written for tests, independently of src/gitops: opens the data key with an age identity, decrypts
// each `ENC[…]` with the AAD sops uses, and recomputes the MAC, so unit tests check kc's output against the format
// itself (the integration test checks it against the real sops binary).
import crypto from 'node:crypto';
import { Decrypter, armor } from 'age-encryption';

const ENC = /^ENC\[AES256_GCM,data:(.*),iv:(.+),tag:(.+),type:(.+)\]$/;

/** The parts of one `ENC[…]` value, decoded. */
export interface EncParts {
  data: Buffer;
  iv: Buffer;
  tag: Buffer;
  type: string;
}

/** Splits an `ENC[AES256_GCM,…]` string; throws when it is not one. */
export function parseEnc(value: string): EncParts {
  const m = ENC.exec(value);
  if (!m) throw new Error(`not a sops value: ${value.slice(0, 40)}`);
  const b = (s: string) => Buffer.from(s, 'base64');
  return { data: b(m[1]), iv: b(m[2]), tag: b(m[3]), type: m[4] };
}

/** AES-256-GCM open of one value; throws when the key, AAD or bytes do not match. */
export function openEnc(value: string, key: Buffer, aad: string): { plaintext: string; type: string } {
  const { data, iv, tag, type } = parseEnc(value);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  return { plaintext: Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8'), type };
}

/** The data key from the `sops.age` entry an identity opens. */
export async function openDataKey(doc: Record<string, unknown>, identity: string): Promise<Buffer> {
  const entries = (doc.sops as { age: { enc: string }[] }).age;
  for (const { enc } of entries) {
    const d = new Decrypter();
    d.addIdentity(identity);
    try {
      return Buffer.from(await d.decrypt(armor.decode(enc)));
    } catch {
      // another recipient's entry
    }
  }
  throw new Error('no sops.age entry opens with this identity');
}

const typed = (plaintext: string, type: string): unknown =>
  type === 'int' || type === 'float' ? Number(plaintext) : type === 'bool' ? plaintext === 'True' : plaintext;

const macBytes = (v: unknown): string =>
  typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);

/**
 * Decrypts a sops document the way `sops decrypt` does (encrypted_regex rule only) and checks its MAC; returns the
 * plain object (without `sops`) and the values hashed, in order.
 */
export async function sopsDecrypt(
  doc: Record<string, unknown>,
  identity: string,
): Promise<{ plain: Record<string, unknown>; hashed: string[] }> {
  const key = await openDataKey(doc, identity);
  const meta = doc.sops as { encrypted_regex: string; mac: string; lastmodified: string };
  const rule = new RegExp(meta.encrypted_regex);
  const hashed: string[] = [];
  const walk = (v: unknown, path: string[], enc: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, path, enc));
    if (v !== null && typeof v === 'object') {
      // In the order of the YAML kc writes (keys sorted), which is the order sops reads the file in.
      const map = v as Record<string, unknown>;
      const keys = Object.keys(map).sort();
      return Object.fromEntries(keys.map((k) => [k, walk(map[k], [...path, k], enc || rule.test(k))]));
    }
    if (v === null || v === undefined) return v;
    let out: unknown = v;
    if (enc && v !== '') {
      const { plaintext, type } = openEnc(v as string, key, `${path.join(':')}:`);
      out = typed(plaintext, type);
    }
    hashed.push(macBytes(out));
    return out;
  };
  const { sops: _sops, ...rest } = doc;
  const plain = walk(rest, [], false) as Record<string, unknown>;
  const mac = openEnc(meta.mac, key, meta.lastmodified).plaintext;
  const expected = crypto.createHash('sha512').update(hashed.join('')).digest('hex').toUpperCase();
  if (mac !== expected) throw new Error('MAC mismatch');
  return { plain, hashed };
}
