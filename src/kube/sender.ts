// What the transport's protocol senders share: the request and response shapes, and how bodies and paths are built.
import type http from 'node:http';

/** One HTTP request to the API server. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
}

/** The decoded answer: status, JSON body (when JSON) and headers. */
export interface ApiResponse {
  status: number;
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

/** Sends one request over some protocol; network failures reject with the error's `code` (ECONNREFUSED, …). */
export interface Sender {
  send(req: ApiRequest): Promise<ApiResponse>;
  /** Opens the connection ahead of the first request, where the protocol keeps one (a no-op otherwise). */
  connect?(): void;
  close(): void;
}

/** The request's path on the server: the server URL's path prefix, the API path and the query. */
export function requestPath(server: URL, req: ApiRequest): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) query.set(k, v);
  const qs = query.toString();
  return `${server.pathname.replace(/\/$/, '')}${req.path}${qs ? `?${qs}` : ''}`;
}

/** A response body: parsed when the server says it is JSON, else the text. */
export function decodeBody(bytes: Buffer, contentType: string | string[] | undefined): unknown {
  const text = bytes.toString('utf8');
  if (!String(contentType ?? '').includes('json') || !text) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
