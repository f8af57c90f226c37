// Only a complete, successful answer of the expected shape counts as success: a 2xx whose body is the object or list
// the request asked for. Anything else (HTML from a proxy, garbage, an empty body, a 3xx) is a typed error, never an
// empty list or an object that was not applied.
import { apiError, type ApiStatus } from './api-errors.js';
import type { ApiResponse } from './sender.js';
import { describeBody, invalidResponse } from './transport-errors.js';
import type { KubeObject } from './types.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Throws the API's error for a 4xx/5xx, RESPONSE_INVALID for any other non-2xx; returns the body of a 2xx. */
export function successBody(res: ApiResponse, what: string): unknown {
  if (res.status >= 400) throw apiError(res.status, (isObject(res.body) ? res.body : undefined) as ApiStatus, what);
  if (res.status < 200 || res.status >= 300) throw invalidResponse(what, `HTTP ${res.status}`);
  return res.body;
}

/** The JSON object of a 2xx answer, else RESPONSE_INVALID. */
export function expectJsonObject(res: ApiResponse, what: string): Json {
  const body = successBody(res, what);
  if (!isObject(body)) {
    throw invalidResponse(what, `expected a JSON object, got ${describeBody(body, res.headers['content-type'])}`);
  }
  return body;
}

/** The object of a 2xx answer, which must be the one asked for (same kind, and same name when one was given). */
export function expectObject(res: ApiResponse, what: string, want: { kind: string; name?: string }): KubeObject {
  const body = expectJsonObject(res, what);
  const name = isObject(body.metadata) ? body.metadata.name : undefined;
  if (body.kind !== want.kind || (want.name !== undefined && name !== want.name)) {
    const got = `${String(body.kind ?? 'no kind')}/${String(name ?? 'no name')}`;
    throw invalidResponse(what, `expected ${want.kind}/${want.name ?? '*'}, got ${got}`);
  }
  return body as unknown as KubeObject;
}

/** The items of a 2xx list answer, which must have an `items` array of objects. */
export function expectItems(res: ApiResponse, what: string): KubeObject[] {
  const body = expectJsonObject(res, what);
  // Go writes an empty slice as null; accepted only from something that says it is a list.
  if (body.items === null && typeof body.kind === 'string' && body.kind.endsWith('List')) return [];
  if (!Array.isArray(body.items) || !body.items.every(isObject)) {
    throw invalidResponse(what, `expected a list with items, got ${describeBody(body, res.headers['content-type'])}`);
  }
  return body.items as KubeObject[];
}
