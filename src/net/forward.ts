// A plain-http request through a proxy as Go's net/http (helm) sends one: to the proxy, with the absolute URL as its
// target and the proxy URL's credentials as Proxy-Authorization. No tunnel: many proxies allow CONNECT only to 443.
import type http from 'node:http';
import net from 'node:net';
import type { HttpProxy } from './proxy-url.js';

/** Options for GETting the http:// `target` through the proxy (`secure`: the proxy itself speaks https). */
export function forwardedRequest(
  proxy: HttpProxy,
  target: URL,
  headers: Record<string, string>,
): http.RequestOptions & { secure: boolean } {
  const { url } = proxy;
  const secure = url.protocol === 'https:';
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  const auth = url.username || url.password ? `Basic ${Buffer.from(pair).toString('base64')}` : undefined;
  return {
    secure,
    hostname,
    port: url.port || (secure ? 443 : 80),
    ...(secure && !net.isIP(hostname) ? { servername: hostname } : {}),
    // Never the target's own user info: the repository client sends that as Authorization, to its origin only.
    path: `${target.protocol}//${target.host}${target.pathname}${target.search}`,
    headers: { host: target.host, ...headers, ...(auth ? { 'proxy-authorization': auth } : {}) },
  };
}
