// The only module that opens HTTP connections for repositories and chart downloads.
import http from 'node:http';
import https from 'node:https';
import { formatSize } from '../artifact/format.js';
import { KcError } from '../errors/index.js';

/** A complete HTTP response: status, headers and the whole body. */
export interface HttpResponse {
  status: number;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** Limits of one fetch. */
export interface FetchOptions {
  /** The body may not exceed this many bytes. */
  maxBytes?: number;
  /** The whole exchange, redirects included, must finish within this time. */
  timeoutMs?: number;
}

/** GETs a URL (injected, so tests can serve files from memory). */
export interface HttpClient {
  fetch(url: string, options?: FetchOptions): Promise<HttpResponse>;
}

/** Defaults: 64 MiB per body, 30 s per fetch, at most 5 redirects. */
export const HTTP_LIMITS = { maxBytes: 64 * 1024 * 1024, timeoutMs: 30_000, maxRedirects: 5 };


function fetchFailed(url: string, reason: string): KcError {
  return new KcError('FETCH_FAILED', `cannot download ${url}: ${reason}`, {
    hint: 'check the URL and that the server is reachable (`kc repo update` refreshes repository indexes)',
  });
}

async function getOnce(url: URL, deadline: number, limits: { maxBytes: number; timeoutMs: number }): Promise<HttpResponse> {
  const { maxBytes } = limits;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fetchFailed(url.href, `unsupported protocol ${url.protocol} (use http or https)`);
  // Loaded on first use: most kc commands never download anything.
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolveOnce, rejectOnce) => {
    // Settling clears the deadline; a second settle (e.g. the error after destroy()) is ignored by the promise.
    const resolve = (res: HttpResponse) => (clearTimeout(timer), resolveOnce(res));
    const reject = (err: KcError) => (clearTimeout(timer), req.destroy(), rejectOnce(err));
    const req = client.get(url, { headers: { accept: '*/*', 'user-agent': 'kc' } }, (res) => {
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > maxBytes) {
        reject(fetchFailed(url.href, `the response is ${formatSize(declared)}, more than the ${formatSize(maxBytes)} allowed`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Counted as it arrives: a server that lies about (or omits) its length is cut off all the same.
        if (size > maxBytes) {
          reject(fetchFailed(url.href, `the response exceeds the ${formatSize(maxBytes)} allowed`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (!res.complete) return reject(fetchFailed(url.href, 'the connection closed before the response was complete'));
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers });
      });
      res.on('error', (err) => reject(fetchFailed(url.href, err.message)));
    });
    const timer = setTimeout(() => {
      reject(fetchFailed(url.href, `no complete response within ${limits.timeoutMs / 1000} s`));
    }, Math.max(0, deadline - Date.now()));
    timer.unref();
    req.on('error', (err) => reject(fetchFailed(url.href, (err as NodeJS.ErrnoException).code ?? err.message)));
  });
}

/** An HTTP client over Node's http/https: bounded in time, body size and redirects; non-2xx is an error. */
export function nodeHttpClient(limits: Partial<typeof HTTP_LIMITS> = {}): HttpClient {
  const { maxBytes: defaultMax, timeoutMs: defaultTimeout, maxRedirects } = { ...HTTP_LIMITS, ...limits };
  return {
    async fetch(input, options = {}) {
      const maxBytes = options.maxBytes ?? defaultMax;
      const timeoutMs = options.timeoutMs ?? defaultTimeout;
      const deadline = Date.now() + timeoutMs;
      let url: URL;
      try {
        url = new URL(input);
      } catch {
        throw fetchFailed(input, 'not a valid URL');
      }
      for (let hop = 0; hop <= maxRedirects; hop++) {
        const res = await getOnce(url, deadline, { maxBytes, timeoutMs });
        const location = res.headers.location;
        if (res.status >= 300 && res.status < 400 && typeof location === 'string') {
          url = new URL(location, url);
          continue;
        }
        if (res.status < 200 || res.status >= 300) throw fetchFailed(input, `the server answered ${res.status}`);
        return res;
      }
      throw fetchFailed(input, `more than ${maxRedirects} redirects`);
    },
  };
}
