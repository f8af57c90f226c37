import { createHmac, randomBytes } from 'node:crypto';
import type { KubeObject } from '../kube/types.js';

const RUN_KEY = randomBytes(32);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The placeholder for one secret value: a short digest and the size, so changes stay visible. */
export function secretPlaceholder(value: Buffer): string {
  // Keyed per process: equal values still match within one diff, but a short password cannot be looked up.
  const digest = createHmac('sha256', RUN_KEY).update(value).digest('hex').slice(0, 8);
  return `(redacted: hmac ${digest}, ${value.length} ${value.length === 1 ? 'byte' : 'bytes'})`;
}

function decoded(value: unknown, base64: boolean): Buffer {
  if (typeof value !== 'string') return Buffer.from(JSON.stringify(value) ?? '', 'utf8');
  return base64 ? Buffer.from(value, 'base64') : Buffer.from(value, 'utf8');
}

function redactMap(map: Record<string, unknown>, base64: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // The digest is over the decoded bytes, so `data` and `stringData` forms of one value agree.
  for (const [key, value] of Object.entries(map)) out[key] = secretPlaceholder(decoded(value, base64));
  return out;
}

/** A copy of a Secret with every `data` and `stringData` value replaced by a placeholder; other kinds are returned as they are. */
export function redactSecretObject(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret') return object;
  const copy: KubeObject = { ...object };
  if (isRecord(object.data)) copy.data = redactMap(object.data, true);
  if (isRecord(object.stringData)) copy.stringData = redactMap(object.stringData, false);
  return copy;
}

/** An object as kc prints it: without managedFields (as kubectl shows it), Secret values redacted unless `showSecrets`. */
export function displayObject(object: KubeObject, showSecrets: boolean): KubeObject {
  const metadata = object.metadata as Record<string, unknown> | undefined;
  let shown = object;
  if (metadata && 'managedFields' in metadata) {
    const { managedFields: _omitted, ...rest } = metadata;
    shown = { ...object, metadata: rest };
  }
  return showSecrets ? shown : redactSecretObject(shown);
}
