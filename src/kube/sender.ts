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
  /** Whether sending it twice is harmless (see retry-policy.ts; by default GET and server-side apply are). */
  idempotent?: boolean;
}

/** The decoded answer: status, JSON body (when JSON) and headers. */
export interface ApiResponse {
  status: number;
  body: unknown;
  headers: http.IncomingHttpHeaders;
  /** Set when an earlier attempt of the same request was sent and its answer lost (so this one may see its effect). */
  afterLostAnswer?: boolean;
}

/** A streamed answer once it ended: a 2xx one's body went to `onLine` line by line; any other comes whole. */
export interface StreamAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The decoded body of a non-2xx answer (a Status); undefined for a 2xx one. */
  body?: unknown;
}

/**
 * Sends one request whose answer streams (a watch): a 2xx body goes to `onLine` line by line as it arrives (a throw
 * there cancels the stream and rejects with it). Resolves when the server ends the answer cleanly; rejects as `send`
 * does when it breaks off, and at once with the signal's reason on an abort.
 */
export type StreamSend = (
  req: ApiRequest,
  onLine: (line: string) => void,
  signal?: AbortSignal,
) => Promise<StreamAnswer>;

/**
 * Sends one request over some protocol. It resolves only with a complete answer (status, and the whole body the
 * server announced); network failures and broken-off answers reject with the error's `code` (ECONNREFUSED,
 * network-failure.ts's codes, …), and an abort of `signal` rejects at once with the signal's reason.
 */
export interface Sender {
  send(req: ApiRequest, signal?: AbortSignal): Promise<ApiResponse>;
  /** Streams an answer line by line (watches); absent where the protocol cannot. */
  stream?: StreamSend;
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

/** True when the body is as long as a Content-Length header says (or there is none to compare with). */
export function lengthMatches(bytes: Buffer, contentLength: string | string[] | undefined): boolean {
  const value = Array.isArray(contentLength) ? contentLength[0] : contentLength;
  return value === undefined || !/^\d+$/.test(value) || Number(value) === bytes.length;
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
