import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nacl from 'tweetnacl';
import { describe, expect, it } from '@jest/globals';
import {
  generateKeyPair,
  parsePrivateKey,
  parsePublicKey,
  readPrivateKeyFile,
  writeKeyPair,
} from '../../../src/oci/cosign-key.js';

const PASSWORD = 'correct horse';

/** cosign's encrypted key, written here independently of src/: go-securesystemslib's JSON, scrypt, secretbox. */
function cosignEncrypted(
  key: crypto.KeyObject,
  password: string,
  type = 'ENCRYPTED SIGSTORE PRIVATE KEY',
  N = 65536,
): string {
  const salt = crypto.randomBytes(32);
  const nonce = crypto.randomBytes(24);
  const derived = crypto.scryptSync(password, salt, 32, { N, r: 8, p: 1, maxmem: 256 * 1024 * 1024 });
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const sealed = Buffer.from(nacl.secretbox(der, nonce, derived)).toString('base64');
  const json =
    `{"kdf":{"name":"scrypt","params":{"N":${N},"r":8,"p":1},"salt":"${salt.toString('base64')}"},` +
    `"cipher":{"name":"nacl/secretbox","nonce":"${nonce.toString('base64')}"},"ciphertext":"${sealed}"}`;
  const body = Buffer.from(json)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`;
}

const p256 = () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('cosign private keys', () => {
  it('reads cosign encrypted keys (both PEM types) and gives the public half with its bundle hint', async () => {
    const { privateKey, publicKey } = p256();
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    for (const type of ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY']) {
      const key = await parsePrivateKey(cosignEncrypted(privateKey, PASSWORD, type), {
        source: 'cosign.key',
        password: PASSWORD,
      });
      expect(key.publicKey.key.export({ type: 'spki', format: 'der' })).toEqual(spki);
      expect(key.publicKey.hint).toBe(crypto.createHash('sha256').update(spki).digest('base64'));
      const sig = crypto.sign('sha256', Buffer.from('payload'), key.privateKey);
      expect(crypto.verify('sha256', Buffer.from('payload'), publicKey, sig)).toBe(true);
    }
  });

  it('refuses a wrong password naming the file and not the password', async () => {
    const pem = cosignEncrypted(p256().privateKey, PASSWORD);
    const err = await rejection(parsePrivateKey(pem, { source: 'keys/cosign.key', password: 'hunter2-wrong' }));
    expect(err.code).toBe('KEY_INVALID');
    expect(err.message).toBe('keys/cosign.key: wrong password: the key cannot be decrypted with it');
    expect(JSON.stringify(err) + err.message + err.hint).not.toContain('hunter2');
  });

  it('asks a password function only when the key is encrypted, and needs a password for an encrypted key', async () => {
    const { privateKey } = p256();
    let asked = 0;
    const prompt = async () => (asked++, PASSWORD);
    await parsePrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }), { source: 'k', password: prompt });
    expect(asked).toBe(0);
    await parsePrivateKey(cosignEncrypted(privateKey, PASSWORD), { source: 'k', password: prompt });
    expect(asked).toBe(1);
    const err = await rejection(parsePrivateKey(cosignEncrypted(privateKey, PASSWORD), { source: 'k' }));
    expect([err.code, err.message]).toEqual(['KEY_INVALID', 'k: the key is encrypted and no password was given']);
  });

  it('accepts an empty password, as cosign does', async () => {
    const key = await parsePrivateKey(cosignEncrypted(p256().privateKey, ''), { source: 'k', password: '' });
    expect(key.privateKey.asymmetricKeyType).toBe('ec');
  });

  it('reads unencrypted PKCS#8 and SEC1 PEMs', async () => {
    const { privateKey } = p256();
    for (const pem of [
      privateKey.export({ type: 'pkcs8', format: 'pem' }),
      privateKey.export({ type: 'sec1', format: 'pem' }),
    ]) {
      const key = await parsePrivateKey(pem, { source: 'k' });
      expect(key.privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    }
  });

  it('refuses keys that are not ECDSA P-256, public keys, garbage and hostile scrypt parameters', async () => {
    const p384 = crypto
      .generateKeyPairSync('ec', { namedCurve: 'P-384' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' });
    const rsa = crypto
      .generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' });
    const pub = p256().publicKey.export({ type: 'spki', format: 'pem' });
    const bad =
      '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nbm90IGpzb24=\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';
    const huge = cosignEncrypted(p256().privateKey, 'x', undefined, 2).replace(
      /^(-----[^\n]*\n)([\s\S]*?)(\n-----END)/,
      (_m, a, b, c) => {
        const json = Buffer.from(b.replace(/\n/g, ''), 'base64')
          .toString()
          .replace('"N":2', `"N":${2 ** 24}`);
        return a + Buffer.from(json).toString('base64') + c;
      },
    );
    const cases: [string | Buffer, string][] = [
      [p384, 'k: an EC key on secp384r1; kc signs and verifies with ECDSA P-256 keys only'],
      [rsa, 'k: a rsa key; kc signs and verifies with ECDSA P-256 keys only'],
      [pub, 'k: a PEM "PUBLIC KEY", not a private key'],
      ['hello', 'k: no PEM private key in it'],
      [bad, 'k: not a cosign encrypted key: its body is not JSON'],
      [huge, 'k: not a cosign encrypted key: kdf.params are too large'],
      ['-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', 'k: the PEM does not hold a valid key'],
    ];
    for (const [pem, message] of cases) {
      const err = await rejection(parsePrivateKey(pem, { source: 'k', password: 'x' }));
      expect([err.code, err.message]).toEqual(['KEY_INVALID', message]);
    }
  });

  it('says a missing key file is not found', async () => {
    const err = await rejection(readPrivateKeyFile('/nonexistent/cosign.key', 'x'));
    expect([err.code, err.message]).toEqual(['FILE_NOT_FOUND', 'key file /nonexistent/cosign.key does not exist']);
  });
});

describe('cosign public keys', () => {
  it('reads a PKIX PUBLIC KEY PEM and refuses a private key or another curve', () => {
    const { publicKey, privateKey } = p256();
    const key = parsePublicKey(publicKey.export({ type: 'spki', format: 'pem' }), 'cosign.pub');
    expect(key.key.equals(publicKey)).toBe(true);
    expect(key.source).toBe('cosign.pub');
    expect(() => parsePublicKey(privateKey.export({ type: 'pkcs8', format: 'pem' }), 'p')).toThrow(
      'p: a PEM "PRIVATE KEY", not a public key',
    );
    const p384 = crypto
      .generateKeyPairSync('ec', { namedCurve: 'P-384' })
      .publicKey.export({ type: 'spki', format: 'pem' });
    expect(() => parsePublicKey(p384, 'p')).toThrow('ECDSA P-256 keys only');
  });
});

describe('generateKeyPair', () => {
  it('writes the PEM types and JSON cosign writes, readable with the password only', async () => {
    const { privateKeyPem, publicKeyPem } = await generateKeyPair(PASSWORD);
    const begin = '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----';
    expect(privateKeyPem).toMatch(
      new RegExp(`^${begin}\n([A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]{1,64}\n${begin.replace('BEGIN', 'END')}\n$`),
    );
    const body = JSON.parse(Buffer.from(privateKeyPem.split('\n').slice(1, -2).join(''), 'base64').toString());
    expect(Object.keys(body)).toEqual(['kdf', 'cipher', 'ciphertext']);
    expect(body.kdf).toMatchObject({ name: 'scrypt', params: { N: 65536, r: 8, p: 1 } });
    expect(Buffer.from(body.kdf.salt, 'base64')).toHaveLength(32);
    expect(body.cipher.name).toBe('nacl/secretbox');
    expect(Buffer.from(body.cipher.nonce, 'base64')).toHaveLength(24);
    const key = await parsePrivateKey(privateKeyPem, { source: 'k', password: PASSWORD });
    expect(key.publicKey.hint).toBe(parsePublicKey(publicKeyPem, 'p').hint);
    expect((await rejection(parsePrivateKey(privateKeyPem, { source: 'k', password: 'no' }))).code).toBe('KEY_INVALID');
  });

  it('writeKeyPair makes <prefix>.key (0600) and <prefix>.pub and never overwrites them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-keys-'));
    try {
      const prefix = path.join(dir, 'cosign');
      const files = await writeKeyPair(prefix, PASSWORD);
      expect(fs.statSync(files.privateKeyFile).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(files.publicKeyFile, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      expect((await rejection(writeKeyPair(prefix, PASSWORD))).message).toBe('cosign.key already exists');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
