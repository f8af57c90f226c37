import crypto from 'node:crypto';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { isKcError, type KcError } from '../../../src/errors/kc-error.js';
import { encryptSecretForSops, SOPS_ENCRYPTED_REGEX, SOPS_VERSION, toSopsYaml } from '../../../src/gitops/sops.js';
import type { KubeObject } from '../../../src/synth/order.js';
import { openDataKey, openEnc, parseEnc, sopsDecrypt } from '../../helpers/sops-decrypt.js';

const NOW = new Date('2026-12-06T05:30:07.123Z');
const b64 = (s: string) => Buffer.from(s).toString('base64');

const PASSWORD = 'hunter2-very-secret';
const USER = 'app-user';

function secret(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'prod', labels: { app: 'db' }, creationTimestamp: null },
    type: 'Opaque',
    data: { password: b64(PASSWORD), empty: '' },
    stringData: { username: USER },
  };
}

/** A deterministic byte source (a counter through SHA-256), to compare two runs. */
function seeded(seed: string): (n: number) => Buffer {
  let i = 0;
  return (n) => {
    const out = Buffer.alloc(n);
    for (let off = 0; off < n; off += 32) {
      crypto.createHash('sha256').update(`${seed}:${i++}`).digest().copy(out, off);
    }
    return out;
  };
}

async function rejection(p: Promise<unknown>): Promise<KcError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isKcError(err)) throw new Error(`expected a KcError, got ${String(err)}`);
  return err;
}

let identity: string;
let recipient: string;
let identity2: string;
let recipient2: string;

beforeAll(async () => {
  identity = await generateX25519Identity();
  recipient = await identityToRecipient(identity);
  identity2 = await generateX25519Identity();
  recipient2 = await identityToRecipient(identity2);
});

describe('encryptSecretForSops: format', () => {
  it('encrypts data and stringData values only, with sops 3.13 ENC values and a sops block', async () => {
    const out = await encryptSecretForSops(secret(), [recipient], { now: NOW });
    expect(out.apiVersion).toBe('v1');
    expect(out.kind).toBe('Secret');
    expect(out.metadata).toEqual(secret().metadata);
    expect(out.type).toBe('Opaque');
    const data = out.data as Record<string, string>;
    const stringData = out.stringData as Record<string, string>;
    for (const value of [data.password, stringData.username]) {
      const parts = parseEnc(value);
      expect(parts.iv).toHaveLength(32);
      expect(parts.tag).toHaveLength(16);
      expect(parts.type).toBe('str');
    }
    // GCM: the ciphertext is as long as the plaintext.
    expect(parseEnc(data.password).data).toHaveLength(b64(PASSWORD).length);
    // Keys in the order kc's YAML writes them (sorted), which the MAC follows.
    expect(Object.keys(out)).toEqual(['apiVersion', 'data', 'kind', 'metadata', 'stringData', 'type', 'sops']);
    expect(Object.keys(out.data as object)).toEqual(['empty', 'password']);
    const sops = out.sops as Record<string, unknown>;
    expect(Object.keys(sops)).toEqual(['age', 'lastmodified', 'mac', 'encrypted_regex', 'version']);
    expect(sops.lastmodified).toBe('2026-12-06T05:30:07Z');
    expect(sops.encrypted_regex).toBe('^(data|stringData)$');
    expect(SOPS_ENCRYPTED_REGEX).toBe('^(data|stringData)$');
    expect(sops.version).toBe(SOPS_VERSION);
    expect(SOPS_VERSION).toMatch(/^3\.13\.\d+$/);
    const age = sops.age as { recipient: string; enc: string }[];
    expect(age).toHaveLength(1);
    expect(age[0].recipient).toBe(recipient);
    const armored = /^-----BEGIN AGE ENCRYPTED FILE-----\n[A-Za-z0-9+/=\n]+-----END AGE ENCRYPTED FILE-----\n$/;
    expect(age[0].enc).toMatch(armored);
    expect(parseEnc(sops.mac as string).type).toBe('str');
  });

  it('binds each value to its path (AAD "data:password:"): moved to another key it no longer opens', async () => {
    const out = await encryptSecretForSops(secret(), [recipient], { now: NOW });
    const key = await openDataKey(out, identity);
    const password = (out.data as Record<string, string>).password;
    expect(openEnc(password, key, 'data:password:')).toEqual({ plaintext: b64(PASSWORD), type: 'str' });
    expect(() => openEnc(password, key, 'data:empty:')).toThrow();
    expect(() => openEnc(password, key, 'stringData:password:')).toThrow();
    expect(() => openEnc(password, key, 'data:password')).toThrow();
    const username = (out.stringData as Record<string, string>).username;
    expect(openEnc(username, key, 'stringData:username:').plaintext).toBe(USER);
  });

  it('keeps empty strings empty and nulls null, as sops does', async () => {
    const out = await encryptSecretForSops(secret(), [recipient], { now: NOW });
    expect((out.data as Record<string, string>).empty).toBe('');
    expect(out.metadata?.creationTimestamp).toBeNull();
  });

  it('writes a MAC over every value in document order (SHA-512, uppercase hex) sealed with lastmodified', async () => {
    const out = await encryptSecretForSops(secret(), [recipient], { now: NOW });
    const key = await openDataKey(out, identity);
    const sops = out.sops as { mac: string; lastmodified: string };
    const mac = openEnc(sops.mac, key, sops.lastmodified).plaintext;
    // In kc's YAML order (keys sorted); the null creationTimestamp is not hashed, the empty string adds no bytes.
    const values = ['v1', '', b64(PASSWORD), 'Secret', 'db', 'db', 'prod', USER, 'Opaque'];
    expect(mac).toBe(crypto.createHash('sha512').update(values.join('')).digest('hex').toUpperCase());
    expect(mac).toMatch(/^[0-9A-F]{128}$/);
    expect(() => openEnc(sops.mac, key, 'mac:')).toThrow();
    const { plain, hashed } = await sopsDecrypt(out, identity);
    expect(plain).toEqual(secret());
    expect(hashed).toEqual(values);
  });

  it('types numbers and booleans as sops does (int, float, bool as True/False) and hashes the same bytes', async () => {
    const s: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'typed', annotations: { replicas: 3 } },
      stringData: { port: 5432, ratio: 0.25, tiny: 1e-7, on: true, off: false, list: ['a', 7] },
    };
    const out = await encryptSecretForSops(s, [recipient], { now: NOW });
    const key = await openDataKey(out, identity);
    const sd = out.stringData as Record<string, string | string[]>;
    expect(openEnc(sd.port as string, key, 'stringData:port:')).toEqual({ plaintext: '5432', type: 'int' });
    expect(openEnc(sd.ratio as string, key, 'stringData:ratio:')).toEqual({ plaintext: '0.25', type: 'float' });
    expect(openEnc(sd.tiny as string, key, 'stringData:tiny:')).toEqual({ plaintext: '0.0000001', type: 'float' });
    expect(openEnc(sd.on as string, key, 'stringData:on:')).toEqual({ plaintext: 'True', type: 'bool' });
    expect(openEnc(sd.off as string, key, 'stringData:off:')).toEqual({ plaintext: 'False', type: 'bool' });
    // A list item keeps its list's path (sops's walkSlice adds no index).
    const list = sd.list as string[];
    expect(openEnc(list[0], key, 'stringData:list:')).toEqual({ plaintext: 'a', type: 'str' });
    expect(openEnc(list[1], key, 'stringData:list:')).toEqual({ plaintext: '7', type: 'int' });
    expect((out.metadata?.annotations as Record<string, unknown>).replicas).toBe(3);
    const mac = openEnc((out.sops as { mac: string }).mac, key, NOW.toISOString().replace('.123', '')).plaintext;
    const values = ['v1', 'Secret', '3', 'typed', 'a', '7', 'False', 'True', '5432', '0.25', '0.0000001'];
    expect(mac).toBe(crypto.createHash('sha512').update(values.join('')).digest('hex').toUpperCase());
  });

  it('leaves no plaintext value anywhere in the serialized object', async () => {
    const out = await encryptSecretForSops(secret(), [recipient], { now: NOW });
    const text = stringify(out) + JSON.stringify(out);
    for (const plain of [PASSWORD, b64(PASSWORD), USER, b64(USER)]) expect(text).not.toContain(plain);
  });

  it('does not change its input', async () => {
    const input = secret();
    await encryptSecretForSops(input, [recipient], { now: NOW });
    expect(input).toEqual(secret());
  });

  it('uses fresh random data key and IVs on each call, or the injected source (age stanzas stay random)', async () => {
    const a = await encryptSecretForSops(secret(), [recipient], { now: NOW });
    const b = await encryptSecretForSops(secret(), [recipient], { now: NOW });
    expect(a.data).not.toEqual(b.data);
    const c = await encryptSecretForSops(secret(), [recipient], { now: NOW, random: seeded('x') });
    const d = await encryptSecretForSops(secret(), [recipient], { now: NOW, random: seeded('x') });
    expect(c.data).toEqual(d.data);
    expect(c.stringData).toEqual(d.stringData);
    expect((c.sops as { mac: string }).mac).toBe((d.sops as { mac: string }).mac);
    // age-encryption draws its own ephemeral key: why published digests change when Secrets are present.
    expect((c.sops as { age: unknown[] }).age).not.toEqual((d.sops as { age: unknown[] }).age);
    // Each value gets its own IV.
    const ivs = [(c.data as Record<string, string>).password, (c.stringData as Record<string, string>).username];
    expect(new Set(ivs.map((v) => parseEnc(v).iv.toString('hex'))).size).toBe(2);
    expect((await sopsDecrypt(c, identity)).plain).toEqual(secret());
  });

  it('returns a Secret a chart already encrypted with sops as it is', async () => {
    const encrypted = await encryptSecretForSops(secret(), [recipient], { now: NOW });
    expect(await encryptSecretForSops(encrypted, [recipient2], { now: NOW })).toBe(encrypted);
  });
});

describe('encryptSecretForSops: recipients', () => {
  it('encrypts the data key once per recipient (duplicates once), each opening with its own identity', async () => {
    const out = await encryptSecretForSops(secret(), [recipient, recipient2, recipient], { now: NOW });
    const age = (out.sops as { age: { recipient: string }[] }).age;
    expect(age.map((a) => a.recipient)).toEqual([recipient, recipient2]);
    const k1 = await openDataKey(out, identity);
    const k2 = await openDataKey(out, identity2);
    expect(k1.equals(k2)).toBe(true);
    expect((await sopsDecrypt(out, identity2)).plain).toEqual(secret());
    const other = await generateX25519Identity();
    await expect(openDataKey(out, other)).rejects.toThrow(/no sops.age entry/);
  });

  it('refuses an empty list with CONFIG_INVALID', async () => {
    const err = await rejection(encryptSecretForSops(secret(), [], { now: NOW }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/gitops\.sops\.age lists no recipient/);
    expect(err.hint).toMatch(/age1/);
  });

  it('refuses malformed, mistyped and non-X25519 recipients, naming them and the fix, never a secret', async () => {
    const flipped = recipient.slice(0, 20) + (recipient[20] === 'q' ? 'p' : 'q') + recipient.slice(21);
    const cases: [string, RegExp][] = [
      ['age1bad', /expected "age1" and 58/],
      [recipient.toUpperCase(), /expected "age1" and 58/],
      [recipient.slice(0, -1), /expected "age1" and 58/],
      [flipped, /checksum does not match/],
      ['age1pq1' + 'q'.repeat(60), /expected "age1"/],
      ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI', /expected "age1"/],
      [identity, /entry 2 is an age identity \(a private key\), not a recipient/],
    ];
    for (const [bad, why] of cases) {
      const err = await rejection(encryptSecretForSops(secret(), [recipient, bad], { now: NOW }));
      expect(err.code).toBe('CONFIG_INVALID');
      if (bad === identity || bad === recipient.toUpperCase()) expect(err.message).toContain('entry 2');
      else expect(err.message).toContain(`"${bad}"`);
      // A private key pasted by mistake is never echoed.
      expect(`${err.message} ${err.hint}`).not.toContain(identity);
      expect(err.message).toMatch(why);
      expect(err.hint).toMatch(/age-keygen -y/);
      for (const plain of [PASSWORD, b64(PASSWORD), USER]) expect(`${err.message} ${err.hint}`).not.toContain(plain);
    }
  });
});

describe('encryptSecretForSops: refusals', () => {
  it('refuses a top-level sops field that is no SOPS block', async () => {
    const err = await rejection(encryptSecretForSops({ ...secret(), sops: { note: 'x' } }, [recipient], { now: NOW }));
    expect(err.code).toBe('CHART_INVALID');
    expect(err.message).toContain('Secret prod/db');
  });

  it('refuses a value that is no YAML scalar, naming its path and not its value', async () => {
    const s = { ...secret(), data: { when: new Date(0), password: b64(PASSWORD) } };
    const err = await rejection(encryptSecretForSops(s, [recipient], { now: NOW }));
    expect(err.code).toBe('CHART_INVALID');
    expect(err.message).toBe('Secret prod/db: data.when holds a Date, not a value YAML can hold');
    const nan = await rejection(encryptSecretForSops({ ...secret(), data: { x: NaN } }, [recipient], { now: NOW }));
    expect(nan.message).toBe('Secret prod/db: data.x holds a non-finite number, not a value YAML can hold');
  });
});

describe('toSopsYaml', () => {
  it("writes kc's layout (keys sorted) and quotes what go-yaml would read as a timestamp or a number", async () => {
    const s = secret();
    (s.metadata as Record<string, unknown>).labels = { date: '2026-01-01', bin: '0b101', u: '1_000', yes: 'yes' };
    const out = await encryptSecretForSops(s, [recipient], { now: NOW });
    const text = toSopsYaml(out);
    expect(text).toContain('lastmodified: "2026-12-06T05:30:07Z"');
    const quoted = ['date: "2026-01-01"', 'bin: "0b101"', 'u: "1_000"', '"yes": "yes"'];
    for (const line of quoted) expect(text).toContain(line);
    expect(text).toBe(toSopsYaml(JSON.parse(JSON.stringify(out)) as KubeObject));
    const top = text.split('\n').filter((l) => /^[a-zA-Z]/.test(l)).map((l) => l.split(':')[0]);
    expect(top).toEqual(['apiVersion', 'data', 'kind', 'metadata', 'sops', 'stringData', 'type']);
    expect(parse(text)).toEqual(out);
  });
});
