import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { KcError } from '../errors/index.js';
import { parseYamlStream } from '../synth/yaml.js';
import type { KubeObject } from '../kube/types.js';
import type { ReleaseRecord } from './record.js';

/** Bytes of encoded payload per stored part: base64 of this stays well under the 1 MiB object limit. */
export const PART_BYTES = 512 * 1024;

const VERSION = 1;

/** The parts of a record's payload that are stored: encrypted, compressed JSON. */
export type EncodedPayload = Buffer[];

/**
 * Encodes the payload of a record: JSON → gzip → AES-256-GCM with the namespace's release key → parts.
 * Values and manifests (which hold Secret data) are therefore never stored in plain text.
 */
export function encodePayload(record: ReleaseRecord, key: Buffer): EncodedPayload {
  const json = Buffer.from(JSON.stringify(record), 'utf8');
  const compressed = zlib.gzipSync(json, { level: 9 });
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([Buffer.from([VERSION]), iv, cipher.update(compressed), cipher.final(), cipher.getAuthTag()]);
  const parts: Buffer[] = [];
  for (let offset = 0; offset < sealed.length; offset += PART_BYTES) parts.push(sealed.subarray(offset, offset + PART_BYTES));
  return parts;
}

/** Reverses encodePayload; a wrong key, a missing part or any tampering is RECORD_CORRUPT. */
export function decodePayload(parts: EncodedPayload, key: Buffer, what: string): ReleaseRecord {
  const sealed = Buffer.concat(parts);
  const corrupt = (why: string) =>
    new KcError('RECORD_CORRUPT', `release record ${what} cannot be read: ${why}`, {
      hint: 'the record was changed outside kc or its key was replaced; roll back to another revision or uninstall with --keep-history',
    });
  if (sealed.length < 1 + 12 + 16 || sealed[0] !== VERSION) throw corrupt('unknown format');
  const iv = sealed.subarray(1, 13);
  const tag = sealed.subarray(sealed.length - 16);
  const body = sealed.subarray(13, sealed.length - 16);
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    const compressed = Buffer.concat([decipher.update(body), decipher.final()]);
    return fromStored(JSON.parse(zlib.gunzipSync(compressed).toString('utf8')));
  } catch {
    throw corrupt('integrity check failed');
  }
}

/** A stored payload as a record; earlier builds of kc stored the objects as YAML text. */
function fromStored(stored: ReleaseRecord & { manifest?: string; hooks?: string }): ReleaseRecord {
  if (stored.objects) return stored;
  const { manifest, hooks, ...rest } = stored;
  return { ...rest, objects: parseYamlStream<KubeObject>(manifest ?? ''), hookObjects: parseYamlStream<KubeObject>(hooks ?? '') };
}
