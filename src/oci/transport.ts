// The HTTP requests of the registry client: any method, a body, complete responses only (a truncated or oversized body
// is an error), bounded in time; non-2xx statuses are returned, not thrown. Redirects are followed only when asked
// (blob downloads to storage), judged by redirect-policy, and the Authorization header never leaves its origin.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { KcError } from '../errors/index.js';
import { forwardedRequest } from '../net/forward.js';
import { envProxy } from '../net/proxy-for.js';
import { connectThroughProxy } from '../net/tunnel.js';
import { USER_AGENT } from '../net/user-agent.js';
import { REDIRECT_REFUSED, guardedLookup } from '../repo/redirect-lookup.js';
import { endClass, judgeRedirect } from '../repo/redirect-policy.js';
import { networkError, redirectError, timedOut, tooLarge, truncated } from './registry-errors.js';
import type { RegistryConnection } from './types.js';

/** One request. */
export interface OciRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  body?: Buffer;
  /** The body may not exceed this many bytes. */
  maxBytes: number;
  /** What the body is, for the error when it is too large ("the manifest of …"). */
  what?: string;
  /** Follow redirects (bounded, judged by redirect-policy); otherwise a 3xx is returned as is. */
  followRedirects?: boolean;
}

/** A complete response, and the URL that gave it (after redirects). */
export interface OciResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  url: URL;
}

/** Sends requests to one registry's origin (and its storage's, after a redirect). */
export interface OciTransport {
  send(request: OciRequest): Promise<OciResponse>;
}

/** Limits of the transport. */
export interface TransportLimits {
  /** Each request, redirects included, finishes within this time. */
  timeoutMs: number;
  maxRedirects: number;
}

/** 2 minutes per request (a 32 MiB blob on a slow link), at most 5 redirects. */
export const TRANSPORT_LIMITS: TransportLimits = { timeoutMs: 120_000, maxRedirects: 5 };

interface HopResult {
  res: OciResponse;
  address?: string;
}

interface Hop {
  request: OciRequest;
  url: URL;
  headers: Record<string, string>;
  deadline: number;
  lookup?: LookupFunction;
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}

/** An HTTP transport for a registry reached as `connection` says; proxies from `env` as Go's net/http reads them. */
export function ociTransport(
  registryHost: string,
  connection: RegistryConnection,
  env: NodeJS.ProcessEnv = process.env,
  limits: TransportLimits = TRANSPORT_LIMITS,
): OciTransport {
  const tlsOptions = {
    ...(connection.ca ? { ca: connection.ca } : {}),
    rejectUnauthorized: !connection.insecureSkipTlsVerify,
  };
  // Keep-alive agents: a push is several requests to one host. Node unrefs idle sockets: none keeps kc alive.
  const agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true, ...tlsOptions }),
  };

  function once(hop: Hop): Promise<HopResult> {
    const { url, request } = hop;
    const secure = url.protocol === 'https:';
    const proxy = envProxy(url, env);
    const remaining = Math.max(1, hop.deadline - Date.now());
    const tunnel =
      proxy && secure ? connectThroughProxy(new https.Agent(tlsOptions), proxy, true, remaining) : undefined;
    const forward = proxy && !secure ? forwardedRequest(proxy, url, hop.headers) : undefined;
    const headers = { ...hop.headers, ...(request.body ? { 'content-length': String(request.body.length) } : {}) };
    const base = forward
      ? { ...forward, headers: { ...forward.headers, ...headers } }
      : { headers, ...(hop.lookup ? { lookup: hop.lookup } : {}), ...(secure ? tlsOptions : {}) };
    const agent = tunnel ?? (forward ? undefined : hop.lookup ? false : secure ? agents.https : agents.http);
    const transport = (forward ? forward.secure : secure) ? https : http;
    return new Promise((resolveOnce, rejectOnce) => {
      const resolve = (r: HopResult) => (clearTimeout(timer), tunnel?.destroy(), resolveOnce(r));
      const reject = (err: KcError) => (clearTimeout(timer), req.destroy(), tunnel?.destroy(), rejectOnce(err));
      const req = forward
        ? transport.request({ ...base, method: request.method, agent: undefined })
        : transport.request(url, { ...base, method: request.method, agent });
      req.on('response', (res) => {
        const address = proxy ? undefined : res.socket?.remoteAddress;
        const declared = Number(res.headers['content-length'] ?? 0);
        const what = request.what ?? `the response of ${url.host}`;
        const followable = request.followRedirects && res.statusCode! >= 300 && res.statusCode! < 400;
        // A redirect's own body is not what was asked for: its size is not held against the limit.
        const limit = followable ? 64 * 1024 : request.maxBytes;
        if (declared > limit && request.method !== 'HEAD') return reject(tooLarge(what, limit, declared));
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          // Counted as it arrives: a server that lies about (or omits) its length is cut off all the same.
          if (size > limit) return reject(tooLarge(what, limit));
          chunks.push(chunk);
        });
        res.on('end', () => {
          if (!res.complete) return reject(truncated(url));
          const body = Buffer.concat(chunks);
          resolve({ res: { status: res.statusCode ?? 0, headers: res.headers, body, url }, address });
        });
        res.on('error', () => reject(truncated(url)));
        res.on('aborted', () => reject(truncated(url)));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === REDIRECT_REFUSED) return reject(redirectError(url, err.message));
        reject(networkError(url, err, registryHost));
      });
      const timer = setTimeout(() => reject(timedOut(url, limits.timeoutMs)), Math.max(0, hop.deadline - Date.now()));
      timer.unref();
      req.end(request.body);
    });
  }

  return {
    async send(request) {
      const base = { 'user-agent': USER_AGENT, ...request.headers };
      let hop: Hop = { request, url: request.url, headers: base, deadline: Date.now() + limits.timeoutMs };
      const origin = request.url.origin;
      let withCredentials = true;
      for (let redirects = 0; ; redirects++) {
        const { res, address } = await once(hop);
        const location = res.headers.location;
        if (!request.followRedirects || res.status < 300 || res.status >= 400 || typeof location !== 'string')
          return res;
        if (redirects >= limits.maxRedirects) {
          throw redirectError(request.url, `more than ${limits.maxRedirects} redirects (a redirect loop?)`);
        }
        let target: URL;
        try {
          target = new URL(location, hop.url);
        } catch {
          throw redirectError(
            request.url,
            `redirected to ${JSON.stringify(location.slice(0, 200))}, which is not a URL`,
          );
        }
        const decision = judgeRedirect({ url: hop.url, address }, { url: target });
        if (!decision.follow)
          throw redirectError(request.url, `the redirect to ${target.host} is refused: ${decision.reason}`);
        // Once a hop leaves the registry's origin, no later hop gets the Authorization header, even coming back.
        withCredentials &&= target.origin === origin;
        const headers = withCredentials ? base : withoutAuthorization(base);
        const fromClass = endClass({ url: hop.url, address }) ?? 'public';
        const next = { ...request, method: request.method === 'HEAD' ? 'HEAD' : 'GET', body: undefined } as const;
        hop = { request: next, url: target, headers, deadline: hop.deadline, lookup: guardedLookup(fromClass) };
      }
    },
  };
}
