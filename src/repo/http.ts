// The only module that opens HTTP connections for repositories and chart downloads.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { formatSize } from '../artifact/format.js';
import { KcError } from '../errors/index.js';
import { isTlsErrorCode } from '../kube/network-failure.js';
import { envProxy } from '../net/proxy-for.js';
import { forwardedRequest } from '../net/forward.js';
import { connectThroughProxy } from '../net/tunnel.js';
import { USER_AGENT } from '../net/user-agent.js';
import { fetchFailed, redirectRefused, tlsFailed } from './fetch-errors.js';
import { guardedLookup, REDIRECT_REFUSED } from './redirect-lookup.js';
import { endClass, judgeRedirect } from './redirect-policy.js';

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
  /** Credentials and other headers: sent to the URL's own origin only, never after a redirect to another one. */
  headers?: Record<string, string>;
}

/** GETs a URL (injected, so tests can serve files from memory). */
export interface HttpClient {
  fetch(url: string, options?: FetchOptions): Promise<HttpResponse>;
}

/** Defaults: 64 MiB per body, 30 s per fetch, at most 5 redirects. */
export const HTTP_LIMITS = { maxBytes: 64 * 1024 * 1024, timeoutMs: 30_000, maxRedirects: 5 };

/** Settings of the node client beyond its limits. */
export interface NodeHttpOptions extends Partial<typeof HTTP_LIMITS> {
  /** CA certificates to trust instead of Node's bundled ones (PEM). */
  ca?: string | Buffer | (string | Buffer)[];
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** One request of a fetch: where, with which headers, and how it is judged. */
interface Hop {
  url: URL;
  headers: Record<string, string>;
  deadline: number;
  maxBytes: number;
  timeoutMs: number;
  ca?: NodeHttpOptions['ca'];
  env: NodeJS.ProcessEnv;
  /** For a redirect: where it came from, and the lookup that checks where it leads. */
  redirect?: { from: URL; original: string; lookup: LookupFunction };
}

/** The response of one hop and the address it came from. */
interface HopResult {
  res: HttpResponse;
  address?: string;
}

function hopError(hop: Hop, err: NodeJS.ErrnoException): KcError {
  if (err.code === REDIRECT_REFUSED && hop.redirect) {
    return redirectRefused(hop.redirect.original, hop.redirect.from, hop.url, err.message);
  }
  if (isTlsErrorCode(err.code)) return tlsFailed(hop.url, err);
  // A proxy's failure names the proxy (never its credentials).
  if ((err as { proxy?: string }).proxy) return fetchFailed(hop.url, err.message);
  return fetchFailed(hop.url, err.code ?? err.message);
}

async function getOnce(hop: Hop): Promise<HopResult> {
  const { url, maxBytes } = hop;
  const secure = url.protocol === 'https:';
  const client = secure ? https : http;
  // Through a proxy (HTTPS_PROXY, HTTP_PROXY), the proxy resolves the name: the redirect lookup cannot check it, and
  // the connection's address is the proxy's, so redirects are judged by their hosts as written. https goes through a
  // CONNECT tunnel; http is sent to the proxy itself, as Go does.
  const proxy = envProxy(url, hop.env);
  const remaining = Math.max(1, hop.deadline - Date.now());
  const agent = proxy && secure ? connectThroughProxy(new https.Agent(), proxy, true, remaining) : undefined;
  const forward = proxy && !secure ? forwardedRequest(proxy, url, hop.headers) : undefined;
  const lookup = proxy ? undefined : hop.redirect?.lookup;
  const options = { headers: hop.headers, ...(lookup ? { lookup } : {}), ...(hop.ca ? { ca: hop.ca } : {}), agent };
  return new Promise((resolveOnce, rejectOnce) => {
    // Settling clears the deadline; a second settle (e.g. the error after destroy()) is ignored by the promise.
    const resolve = (r: HopResult) => (clearTimeout(timer), agent?.destroy(), resolveOnce(r));
    const reject = (err: KcError) => (clearTimeout(timer), req.destroy(), agent?.destroy(), rejectOnce(err));
    const onResponse = (res: http.IncomingMessage) => {
      if (forward && res.statusCode === 407) {
        return reject(fetchFailed(url, `the proxy ${proxy!.display} answered 407 (proxy authentication required)`));
      }
      const address = proxy ? undefined : res.socket?.remoteAddress;
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > maxBytes) {
        const sizes = `${formatSize(declared)}, more than the ${formatSize(maxBytes)} allowed`;
        reject(fetchFailed(url, `the response is ${sizes}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Counted as it arrives: a server that lies about (or omits) its length is cut off all the same.
        if (size > maxBytes) {
          reject(fetchFailed(url, `the response exceeds the ${formatSize(maxBytes)} allowed`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (!res.complete) return reject(fetchFailed(url, 'the connection closed before the response was complete'));
        resolve({ res: { status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }, address });
      });
      res.on('error', (err) => reject(fetchFailed(url, err.message)));
    };
    const req = forward
      ? (forward.secure ? https : http).get(forward, onResponse)
      : client.get(url, options, onResponse);
    const timer = setTimeout(() => {
      reject(fetchFailed(url, `no complete response within ${hop.timeoutMs / 1000} s`));
    }, Math.max(0, hop.deadline - Date.now()));
    timer.unref();
    req.on('error', (err) => {
      if (!forward) return reject(hopError(hop, err as NodeJS.ErrnoException));
      reject(fetchFailed(url, `cannot connect to the proxy ${proxy!.display}: ${err.message}`));
    });
  });
}

/** A URL's user name and password as a Basic authorization header, and the URL without them. */
function splitCredentials(url: URL): { url: URL; auth?: string } {
  if (!url.username && !url.password) return { url };
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { url: bare, auth: `Basic ${Buffer.from(pair).toString('base64')}` };
}

function parseUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw fetchFailed(input, 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw fetchFailed(url, `unsupported protocol ${url.protocol} (use http or https)`);
  }
  return url;
}

/**
 * An HTTP client over Node's http/https: bounded in time, body size and redirects; non-2xx is an error. Redirects
 * are judged by redirect-policy.ts; credentials (URL user info, `headers`) go to the first URL's origin only.
 */
export function nodeHttpClient(settings: NodeHttpOptions = {}): HttpClient {
  const { maxBytes: defaultMax, timeoutMs: defaultTimeout, maxRedirects } = { ...HTTP_LIMITS, ...settings };
  return {
    async fetch(input, options = {}) {
      const maxBytes = options.maxBytes ?? defaultMax;
      const timeoutMs = options.timeoutMs ?? defaultTimeout;
      const deadline = Date.now() + timeoutMs;
      const first = splitCredentials(parseUrl(input));
      const credentials = { ...(first.auth ? { authorization: first.auth } : {}), ...options.headers };
      const base = { accept: '*/*', 'user-agent': USER_AGENT };
      const limits = { deadline, maxBytes, timeoutMs, ca: settings.ca, env: settings.env ?? process.env };
      let hop: Hop = { url: first.url, headers: { ...base, ...credentials }, ...limits };
      let withCredentials = true;
      for (let redirects = 0; ; redirects++) {
        const { res, address } = await getOnce(hop);
        const location = res.headers.location;
        if (res.status < 300 || res.status >= 400 || typeof location !== 'string') {
          if (res.status < 200 || res.status >= 300) throw fetchFailed(input, `the server answered ${res.status}`);
          return res;
        }
        if (redirects >= maxRedirects) throw fetchFailed(input, `more than ${maxRedirects} redirects`);
        let target: URL;
        try {
          target = splitCredentials(new URL(location, hop.url)).url;
        } catch {
          throw fetchFailed(input, `the server redirected to ${JSON.stringify(location.slice(0, 200))}, not a URL`);
        }
        const decision = judgeRedirect({ url: hop.url, address }, { url: target });
        if (!decision.follow) throw redirectRefused(input, hop.url, target, decision.reason);
        // Once a hop leaves the first origin, no later hop gets the credentials, even one that comes back.
        withCredentials &&= decision.sameOrigin;
        const fromClass = endClass({ url: hop.url, address });
        hop = {
          ...hop,
          url: target,
          headers: withCredentials ? { ...base, ...credentials } : base,
          redirect: { from: hop.url, original: input, lookup: guardedLookup(fromClass ?? 'public') },
        };
      }
    },
  };
}
