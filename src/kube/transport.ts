import { KcError } from '../errors/index.js';
import { http1Sender } from './http1-sender.js';
import { Http2Unsupported, http2Sender } from './http2-sender.js';
import type { ClusterConnection } from './kubeconfig.js';
import type { ApiRequest, ApiResponse, Sender } from './sender.js';

export type { ApiRequest, ApiResponse } from './sender.js';

/** Sends API requests; the real one bounds concurrency and honours 429 Retry-After. */
export interface Transport {
  request(req: ApiRequest): Promise<ApiResponse>;
  /** Starts connecting (TCP, TLS) now, so the first request does not wait for it. */
  connect(): void;
  close(): void;
}

/** Limits of the HTTPS transport. */
export interface TransportOptions {
  /** Requests in flight at once (default 16). */
  maxInFlight?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Retries of a 429/503 answer (default 5). */
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Use HTTP/2 with https servers (default true). */
  http2?: boolean;
}

/** A counting semaphore: at most `limit` holders at once. */
class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    return () => {
      this.active--;
      this.queue.shift()?.();
    };
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH']);

/**
 * The transport of a session: HTTP/2 to an https server (falling back to HTTP/1.1 for the rest of the session
 * if the server does not offer it), HTTP/1.1 to a plain http one.
 */
export function createTransport(conn: ClusterConnection, options: TransportOptions = {}): Transport {
  const maxInFlight = options.maxInFlight ?? 16;
  const semaphore = new Semaphore(maxInFlight);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const http1 = () => http1Sender(conn, maxInFlight, timeoutMs);
  let sender: Sender = new URL(conn.server).protocol === 'https:' && options.http2 !== false ? http2Sender(conn, timeoutMs) : http1();
  let fellBack = false;

  const once = async (req: ApiRequest): Promise<ApiResponse> => {
    try {
      return await sender.send(req);
    } catch (err) {
      if (!(err instanceof Http2Unsupported)) throw err;
      // Requests failing together all land here; the first switches the session to HTTP/1.1.
      if (!fellBack) {
        fellBack = true;
        sender.close();
        sender = http1();
      }
      return sender.send(req);
    }
  };

  return {
    async request(req) {
      const release = await semaphore.acquire();
      try {
        for (let attempt = 0; ; attempt++) {
          let res: ApiResponse;
          try {
            res = await once(req);
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code ?? '';
            if (NETWORK_CODES.has(code) || /CERT|SELF_SIGNED|TLS|SSL|certificate/i.test(code)) {
              throw new KcError('CLUSTER_UNREACHABLE', `cannot reach the Kubernetes API server at ${conn.server} (context ${conn.context}): ${(err as Error).message}`, {
                hint: 'check --kubeconfig/--context and that the cluster is running (`npm run cluster:up` starts the local one)',
                cause: err,
              });
            }
            throw err;
          }
          const retryable = res.status === 429 || (res.status === 503 && res.headers['retry-after'] !== undefined);
          if (!retryable || attempt >= (options.maxRetries ?? 5)) return res;
          const seconds = Number(res.headers['retry-after'] ?? '1');
          await sleep(Math.min(Number.isFinite(seconds) ? seconds : 1, 10) * 1000);
        }
      } finally {
        release();
      }
    },
    connect: () => sender.connect?.(),
    close: () => sender.close(),
  };
}
