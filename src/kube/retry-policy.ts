// When a request may be sent again, and after how long: bounded in count and in time, so a broken connection fails
// an operation within seconds rather than hanging it.
import type { FailureKind } from './network-failure.js';
import type { ApiRequest } from './sender.js';

/** Bounds of the transport's retries. */
export interface RetryLimits {
  /** Attempts of one request after a lost or refused answer, the first included (default 3). */
  attempts: number;
  /** No retry starts later than this after the first attempt began (default 15 s). */
  windowMs: number;
  /** First backoff; each later one doubles it (default 250 ms). */
  backoffMs: number;
  /** Retries after 429, or 503 with Retry-After (default 5), each waiting at most `maxRetryAfterMs`. */
  throttled: number;
  /** The longest Retry-After kc honours (default 10 s). */
  maxRetryAfterMs: number;
}

/** The defaults: three tries within a few seconds. */
export const DEFAULT_RETRY: RetryLimits = {
  attempts: 3, windowMs: 15_000, backoffMs: 250, throttled: 5, maxRetryAfterMs: 10_000,
};

/**
 * True when sending the request twice has the effect of sending it once: reads, server-side apply, and whatever the
 * caller marked so (a DELETE, a merge patch without preconditions). POST and PUT never are unless marked.
 */
export function isIdempotent(req: ApiRequest): boolean {
  if (req.idempotent !== undefined) return req.idempotent;
  return req.method === 'GET' || (req.method === 'PATCH' && req.contentType === 'application/apply-patch+yaml');
}

/** Whether a failure of this kind may be retried for this request: unprocessed always, lost only when idempotent. */
export function mayRetry(req: ApiRequest, kind: FailureKind): boolean {
  if (kind === 'refused') return true;
  // A timeout is not retried: a server that answers pings but not this request is unlikely to answer it again,
  // and retrying would multiply the wait the user sees.
  return kind === 'lost' && isIdempotent(req);
}

/** The wait before retry number `retry` (1-based): exponential with jitter, so parallel requests spread out. */
export function backoffMs(limits: RetryLimits, retry: number, random: () => number = Math.random): number {
  const base = limits.backoffMs * 2 ** (retry - 1);
  return Math.round(base / 2 + (base / 2) * random());
}

/** The wait a Retry-After header asks for (seconds or an HTTP date), capped; 1 s when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, limits: RetryLimits, now = Date.now()): number {
  const value = Array.isArray(header) ? header[0] : header;
  let ms = 1000;
  if (value !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(value)) ms = Number(value) * 1000;
  else if (value !== undefined && Number.isFinite(Date.parse(value))) ms = Date.parse(value) - now;
  return Math.max(0, Math.min(ms, limits.maxRetryAfterMs));
}
