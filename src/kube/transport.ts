import { KcError } from '../errors/index.js';
import { http1Sender } from './http1-sender.js';
import { Http2Unsupported, http2Sender } from './http2-sender.js';
import type { ClusterConnection } from './kubeconfig.js';
import { classifyFailure, SenderCodes, senderError, type NetworkFailure } from './network-failure.js';
import { DEFAULT_RETRY, backoffMs, isIdempotent, mayRetry, retryAfterMs, type RetryLimits } from './retry-policy.js';
import type { ApiRequest, ApiResponse, Sender, StreamAnswer } from './sender.js';
import { Semaphore } from './semaphore.js';
import { isUninterruptible } from './uninterruptible.js';
import { describeBody, invalidResponse, networkError, notSent } from './transport-errors.js';

export type { ApiRequest, ApiResponse, StreamAnswer } from './sender.js';

/** Options of a streamed request. */
export interface StreamOptions {
  signal?: AbortSignal;
  /** The whole answer must have ended within this (a watch asks the server to end it sooner). */
  timeoutMs: number;
}

/**
 * Sends API requests. The real one resolves only with complete answers, bounds concurrency, retries what is safe to
 * retry (bounded), honours 429 Retry-After, and rejects everything else with a KcError.
 */
export interface Transport {
  request(req: ApiRequest): Promise<ApiResponse>;
  /**
   * Sends a request whose 2xx answer streams to `onLine` line by line (a watch), outside the in-flight limit and
   * never retried: a network failure rejects with its KcError, an abort with the signal's reason. Absent on test
   * doubles that cannot stream.
   */
  stream?(req: ApiRequest, onLine: (line: string) => void, options: StreamOptions): Promise<StreamAnswer>;
  /** Starts connecting (TCP, TLS) now, so the first request does not wait for it. */
  connect(): void;
  close(): void;
}

/** Limits of the HTTPS transport. */
export interface TransportOptions {
  /** Requests in flight at once (default 64; over HTTP/1.1 at most 16 connections, the rest wait for one). */
  maxInFlight?: number;
  /** Per-attempt timeout: no complete answer within it fails the request (default 30 s). */
  timeoutMs?: number;
  /** Retries of a 429/503 answer (default 5). */
  maxRetries?: number;
  /** Bounds of retries after lost answers (see retry-policy.ts). */
  retry?: Partial<RetryLimits>;
  /** HTTP/2 liveness: ping a silent busy connection after idleMs, give it up after pingTimeoutMs (5 s each). */
  idleMs?: number;
  pingTimeoutMs?: number;
  /** TCP+TLS must complete within this (HTTP/2; default min(10 s, timeoutMs)). */
  connectTimeoutMs?: number;
  /**
   * Requests made before this aborts are abandoned at once (rejecting with its reason); later ones (the
   * operation's clean-up) still run, all within `cleanupMs` of the abort.
   */
  signal?: AbortSignal;
  /** How long after an abort clean-up requests may take, together (default 5 s): a stalled server cannot hold kc. */
  cleanupMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Use HTTP/2 with https servers (default true). */
  http2?: boolean;
}

const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** A 2xx answer labelled JSON whose body did not parse: cut short, or not from the API server. */
function garbled(res: ApiResponse): boolean {
  return res.status >= 200 && res.status < 300 && typeof res.body === 'string'
    && String(res.headers['content-type'] ?? '').includes('json');
}

// 64 streams keep the API server's cores busy while some of its requests wait on etcd: 500 applies on the local
// control plane (2 cores) took a median 0.96 s against 1.26 s at 16 in flight (12 installs each, order rotated), a
// bare client's 0.79 s against 0.90 s. Past the seats of kc's priority level, API Priority and Fairness queues them
// (and a 429 is sent again, below).
const DEFAULT_IN_FLIGHT = 64;
/** HTTP/1.1 needs a connection, and a TLS handshake, per request in flight. */
const HTTP1_CONNECTIONS = 16;

/**
 * The transport of a session: HTTP/2 to an https server (falling back to HTTP/1.1 for the rest of the session if
 * the server does not offer it), HTTP/1.1 to a plain http one.
 */
export function createTransport(conn: ClusterConnection, options: TransportOptions = {}): Transport {
  const maxInFlight = options.maxInFlight ?? DEFAULT_IN_FLIGHT;
  const semaphore = new Semaphore(maxInFlight);
  const sleep = options.sleep ?? abortableSleep;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const throttled = options.maxRetries ?? DEFAULT_RETRY.throttled;
  const limits: RetryLimits = { ...DEFAULT_RETRY, ...options.retry, throttled };
  const http1 = () => http1Sender(conn, Math.min(maxInFlight, HTTP1_CONNECTIONS), timeoutMs);
  const useH2 = new URL(conn.server).protocol === 'https:' && options.http2 !== false;
  const { idleMs, pingTimeoutMs, connectTimeoutMs } = options;
  const h2Limits = { timeoutMs, idleMs, pingTimeoutMs, connectTimeoutMs };
  let sender: Sender = useH2 ? http2Sender(conn, h2Limits) : http1();
  let fellBack = false;
  // Tickets in order of arrival: when the connection breaks under a request that then gives up, the requests that
  // arrived before that moment and still wait for a slot are failed at once rather than each waiting out its own
  // timeout (a dead server would otherwise hold an install for minutes). Later requests (cleanup) still try.
  let tickets = 0;
  let broken: { below: number; error: KcError } | undefined;

  const once = async (req: ApiRequest, signal?: AbortSignal): Promise<ApiResponse> => {
    try {
      return await sender.send(req, signal);
    } catch (err) {
      if (!(err instanceof Http2Unsupported)) throw err;
      // Requests failing together all land here; the first switches the session to HTTP/1.1.
      if (!fellBack) {
        fellBack = true;
        sender.close();
        sender = http1();
      }
      return sender.send(req, signal);
    }
  };

  const attempt = async (req: ApiRequest, ticket: number, signal?: AbortSignal): Promise<ApiResponse> => {
    const started = Date.now();
    let throttled = 0;
    let lost = false;
    for (let tries = 1; ; tries++) {
      if (broken && ticket <= broken.below && tries > 1) throw notSent(conn, req, broken.error);
      let failure: NetworkFailure | undefined;
      let res: ApiResponse | undefined;
      try {
        res = await once(req, signal);
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        failure = classifyFailure(err);
        if (!failure) throw err;
      }
      if (res && garbled(res)) {
        if (!isIdempotent(req) || tries >= limits.attempts) {
          const body = describeBody(res.body, res.headers['content-type']);
          throw invalidResponse(`${req.method} ${req.path}`, `the body does not parse (${body})`);
        }
        failure = { kind: 'lost', tls: false, cause: senderError(SenderCodes.incomplete, 'unparseable JSON') };
      }
      if (failure) {
        const inWindow = Date.now() - started < limits.windowMs;
        if (!mayRetry(req, failure.kind) || tries >= limits.attempts || !inWindow) {
          // Once an attempt was sent and its answer lost, the request may have taken effect, whatever came after.
          const kind = lost && failure.kind !== 'timeout' ? 'lost' : failure.kind;
          const error = networkError({ ...failure, kind, tls: failure.tls && !lost }, conn, req, tries);
          if (failure.kind !== 'refused') broken = { below: tickets, error };
          throw error;
        }
        lost ||= failure.kind === 'lost';
        await sleep(backoffMs(limits, tries), signal);
        continue;
      }
      const r = res!;
      // 429, and 503 with Retry-After, mean the server did not process the request: safe to send again.
      const retryable = r.status === 429 || (r.status === 503 && r.headers['retry-after'] !== undefined);
      if (!retryable || throttled >= limits.throttled) return lost ? { ...r, afterLostAnswer: true } : r;
      throttled++;
      tries--; // a throttled answer is not a failed attempt
      await sleep(retryAfterMs(r.headers['retry-after'], limits), signal);
    }
  };

  const cleanupMs = options.cleanupMs ?? 5000;
  let abortedAt: number | undefined;
  options.signal?.addEventListener('abort', () => (abortedAt = Date.now()), { once: true });
  // Requests made after an abort are the operation's clean-up (marking the revision failed, giving the lock
  // back): they must run, but only until the clean-up deadline, after which kc stops waiting for the server.
  const cleanupSignal = (req: ApiRequest) => {
    const controller = new AbortController();
    const remaining = Math.max(0, (abortedAt ?? Date.now()) + cleanupMs - Date.now());
    const reason = new KcError('CONNECTION_LOST', `${req.method} ${req.path}: no answer within ${cleanupMs / 1000}s of the interruption`, {
      hint: 'the server stopped answering; kc stopped waiting for it',
    });
    const timer = setTimeout(() => controller.abort(reason), remaining);
    timer.unref();
    return { signal: controller.signal, done: () => clearTimeout(timer) };
  };

  // A watch holds its stream for long: it takes no in-flight slot, and its own deadline bounds it.
  const stream = async (req: ApiRequest, onLine: (line: string) => void, opts: StreamOptions): Promise<StreamAnswer> => {
    const deadline = new AbortController();
    const late = senderError(SenderCodes.timeout, `the answer did not end within ${opts.timeoutMs} ms`);
    const timer = setTimeout(() => deadline.abort(late), opts.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, deadline.signal]) : deadline.signal;
    try {
      if (!sender.stream) throw new KcError('API_ERROR', `${req.method} ${req.path}: this connection cannot stream`);
      return await sender.stream(req, onLine, signal);
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      const failure = classifyFailure(err);
      if (!failure) throw err;
      throw networkError(failure, conn, req, 1);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    stream,
    async request(req) {
      const ticket = ++tickets;
      const shielded = isUninterruptible();
      const cleanup = options.signal?.aborted && !shielded ? cleanupSignal(req) : undefined;
      const signal = shielded ? undefined : cleanup?.signal ?? options.signal;
      try {
        const release = await semaphore.acquire(signal);
        try {
          if (broken && ticket <= broken.below) throw notSent(conn, req, broken.error);
          return await attempt(req, ticket, signal);
        } finally {
          release();
        }
      } finally {
        cleanup?.done();
      }
    },
    connect: () => sender.connect?.(),
    close: () => sender.close(),
  };
}
