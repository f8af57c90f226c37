import http from 'node:http';
import https from 'node:https';
import { KcError } from '../errors/index.js';
import type { ClusterConnection } from './kubeconfig.js';

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

/** Sends API requests; the real one bounds concurrency and honours 429 Retry-After. */
export interface Transport {
  request(req: ApiRequest): Promise<ApiResponse>;
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

/** An HTTPS (or plain HTTP) transport with one keep-alive agent for the process. */
export function createTransport(conn: ClusterConnection, options: TransportOptions = {}): Transport {
  const url = new URL(conn.server);
  const secure = url.protocol === 'https:';
  const maxInFlight = options.maxInFlight ?? 16;
  const { ca, cert, key, pfx, passphrase, rejectUnauthorized } = conn.requestOptions as https.AgentOptions;
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets: maxInFlight, ca, cert, key, pfx, passphrase, rejectUnauthorized })
    : new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
  const baseHeaders = (conn.requestOptions.headers ?? {}) as Record<string, string>;
  const auth = conn.requestOptions.auth;
  const semaphore = new Semaphore(maxInFlight);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const timeoutMs = options.timeoutMs ?? 30_000;

  const once = (req: ApiRequest): Promise<ApiResponse> =>
    new Promise((resolve, reject) => {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) query.set(k, v);
      const qs = query.toString();
      const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
      const headers: Record<string, string> = { ...baseHeaders, Accept: req.accept ?? 'application/json' };
      if (payload !== undefined) {
        headers['Content-Type'] = req.contentType ?? 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(payload));
      }
      const r = (secure ? https : http).request(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port,
          path: `${url.pathname.replace(/\/$/, '')}${req.path}${qs ? `?${qs}` : ''}`,
          method: req.method,
          agent,
          headers,
          auth,
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            if ((res.headers['content-type'] ?? '').includes('json') && text) {
              try {
                body = JSON.parse(text);
              } catch {
                body = text;
              }
            }
            resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
          });
          res.on('error', reject);
        },
      );
      r.on('timeout', () => r.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      r.on('error', reject);
      if (payload !== undefined) r.write(payload);
      r.end();
    });

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
            if (NETWORK_CODES.has(code) || /certificate|self[- ]signed|TLS/i.test(code)) {
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
    close: () => agent.destroy(),
  };
}
