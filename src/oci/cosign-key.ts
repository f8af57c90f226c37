// cosign's key files: the encrypted private key `cosign generate-key-pair` writes, plain PKCS#8/SEC1 keys, and
// `cosign.pub`. Only ECDSA P-256 (cosign's default) is accepted: the signature formats here hash with SHA-256.
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { KcError } from '../errors/index.js';
import { KeyBoxError, openKeyBox, sealKeyBox } from './cosign-key-box.js';

/** A public key that signatures are checked against. */
export interface PublicKey {
  key: KeyObject;
  /** base64(SHA-256(PKIX DER)): the `publicKey.hint` cosign writes in a bundle. */
  hint: string;
  /** Where it came from (a file name), for messages. */
  source: string;
}

/** A private key able to sign, with its public half. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: PublicKey;
}

/** The password of an encrypted key, or a function asked for it only when the key is encrypted (a prompt). */
export type PasswordSource = string | (() => Promise<string>);

/** The PEM types cosign writes for encrypted private keys (the second is cosign before v2.0). */
export const ENCRYPTED_KEY_TYPES = ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY'] as const;

interface PemBlock {
  type: string;
  body: Buffer;
}

function keyError(source: string, message: string, hint?: string): KcError {
  return new KcError('KEY_INVALID', `${source}: ${message}`, { hint });
}

/** The first PEM block of a text, or undefined. */
function firstPemBlock(text: string): PemBlock | undefined {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  const base64 = m[2].replace(/\s+/g, '');
  return { type: m[1], body: Buffer.from(base64, 'base64') };
}

function publicKeyOf(key: KeyObject, source: string): PublicKey {
  const der = key.export({ type: 'spki', format: 'der' });
  return { key, hint: crypto.createHash('sha256').update(der).digest('base64'), source };
}

function requireP256(key: KeyObject, source: string): void {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    const what = key.asymmetricKeyType === 'ec' ? `an EC key on ${curve}` : `a ${key.asymmetricKeyType} key`;
    throw keyError(
      source,
      `${what}; kc signs and verifies with ECDSA P-256 keys only`,
      'make one with `cosign generate-key-pair`',
    );
  }
}

async function passwordOf(password: PasswordSource | undefined, source: string): Promise<string> {
  if (password === undefined) {
    throw keyError(source, 'the key is encrypted and no password was given', 'set COSIGN_PASSWORD (empty for none)');
  }
  return typeof password === 'string' ? password : password();
}

/** Reads a private key: cosign's encrypted PEM (decrypted with the password) or an unencrypted PKCS#8/SEC1 PEM. */
export async function parsePrivateKey(
  text: string | Buffer,
  options: { source: string; password?: PasswordSource },
): Promise<SigningKey> {
  const { source } = options;
  const block = firstPemBlock(text.toString());
  if (!block)
    throw keyError(source, 'no PEM private key in it', 'pass the cosign.key written by `cosign generate-key-pair`');
  let privateKey: KeyObject;
  if ((ENCRYPTED_KEY_TYPES as readonly string[]).includes(block.type)) {
    const password = await passwordOf(options.password, source);
    let der: Buffer;
    try {
      der = await openKeyBox(block.body, password);
    } catch (err) {
      if (!(err instanceof KeyBoxError)) throw err;
      if (err.reason === 'wrong-password') {
        throw keyError(source, 'wrong password: the key cannot be decrypted with it', 'check COSIGN_PASSWORD');
      }
      throw keyError(source, err.message);
    }
    privateKey = importKey(() => crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), source);
  } else if (block.type === 'PRIVATE KEY' || block.type === 'EC PRIVATE KEY') {
    privateKey = importKey(() => crypto.createPrivateKey({ key: text.toString(), format: 'pem' }), source);
  } else {
    throw keyError(
      source,
      `a PEM "${block.type}", not a private key`,
      'pass the private key (cosign.key), not the public one',
    );
  }
  requireP256(privateKey, source);
  return { privateKey, publicKey: publicKeyOf(crypto.createPublicKey(privateKey), source) };
}

function importKey(make: () => KeyObject, source: string): KeyObject {
  try {
    return make();
  } catch {
    // OpenSSL's message says nothing the user can act on, and never holds key material worth showing.
    throw keyError(source, 'the PEM does not hold a valid key');
  }
}

/** Reads a public key: a PEM `PUBLIC KEY` (PKIX), as `cosign.pub`. */
export function parsePublicKey(text: string | Buffer, source: string): PublicKey {
  const block = firstPemBlock(text.toString());
  if (!block)
    throw keyError(source, 'no PEM public key in it', 'pass the cosign.pub written by `cosign generate-key-pair`');
  if (block.type !== 'PUBLIC KEY') {
    throw keyError(source, `a PEM "${block.type}", not a public key`, 'pass the public key (cosign.pub)');
  }
  const key = importKey(() => crypto.createPublicKey({ key: block.body, format: 'der', type: 'spki' }), source);
  requireP256(key, source);
  return publicKeyOf(key, source);
}

async function readKeyFile(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new KcError('FILE_NOT_FOUND', `key file ${file} does not exist`);
    throw keyError(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Reads a private key file (see parsePrivateKey); errors name the file, never the password. */
export async function readPrivateKeyFile(file: string, password?: PasswordSource): Promise<SigningKey> {
  return parsePrivateKey(await readKeyFile(file), { source: file, password });
}

/** Reads a public key file (see parsePublicKey). */
export async function readPublicKeyFile(file: string): Promise<PublicKey> {
  return parsePublicKey(await readKeyFile(file), file);
}

function pem(type: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

/** A new ECDSA P-256 key pair as cosign writes it: `cosign.key` (encrypted with the password) and `cosign.pub`. */
export async function generateKeyPair(password: string): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const body = await sealKeyBox(der, password);
  der.fill(0);
  return {
    privateKeyPem: pem(ENCRYPTED_KEY_TYPES[0], body),
    publicKeyPem: pem('PUBLIC KEY', publicKey.export({ type: 'spki', format: 'der' })),
  };
}

/** Writes `<prefix>.key` (mode 0600) and `<prefix>.pub` as `cosign generate-key-pair` does; refuses to overwrite. */
export async function writeKeyPair(
  prefix: string,
  password: string,
): Promise<{ privateKeyFile: string; publicKeyFile: string }> {
  const { privateKeyPem, publicKeyPem } = await generateKeyPair(password);
  const privateKeyFile = `${prefix}.key`;
  const publicKeyFile = `${prefix}.pub`;
  for (const file of [privateKeyFile, publicKeyFile]) {
    const exists = await fs.stat(file).then(
      () => true,
      () => false,
    );
    if (exists)
      throw new KcError('USAGE', `${path.basename(file)} already exists`, { hint: 'remove it or choose another name' });
  }
  await fs.writeFile(privateKeyFile, privateKeyPem, { mode: 0o600, flag: 'wx' });
  await fs.writeFile(publicKeyFile, publicKeyPem, { mode: 0o644, flag: 'wx' });
  return { privateKeyFile, publicKeyFile };
}
