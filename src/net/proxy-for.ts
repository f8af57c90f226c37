// Which proxy, if any, a request goes through, decided as kubectl and helm (Go's net/http) decide: a kubeconfig
// cluster's proxy-url always applies (Go's http.ProxyURL); otherwise HTTPS_PROXY (https) or HTTP_PROXY (http), upper
// case before lower case, unless NO_PROXY matches or the host is localhost or a loopback IP, which Go never proxies
// from the environment (httpproxy's useProxy).
import net from 'node:net';
import type { ErrorCode } from '../errors/index.js';
import { parseNoProxy } from './no-proxy.js';
import { parseProxy, type HttpProxy } from './proxy-url.js';

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** The first non-empty of the variables, with its name. */
function envAny(env: NodeJS.ProcessEnv, names: string[]): { name: string; value: string } | undefined {
  for (const name of names) if (env[name]) return { name, value: env[name]! };
  return undefined;
}

// 127.0.0.0/8 and ::1; a BlockList also matches their IPv4-mapped IPv6 spellings.
const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** True for the name localhost and loopback IPs. */
function isLoopbackHost(host: string): boolean {
  const family = net.isIP(host);
  return host === 'localhost' || (family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6'));
}

/** The proxy from HTTPS_PROXY/HTTP_PROXY/NO_PROXY (either case) for `target`, or undefined to go direct. */
export function envProxy(target: URL, env: NodeJS.ProcessEnv = process.env): HttpProxy | undefined {
  const https = target.protocol === 'https:';
  const found = envAny(env, https ? ['HTTPS_PROXY', 'https_proxy'] : ['HTTP_PROXY', 'http_proxy']);
  if (!found || (target.protocol !== 'http:' && !https)) return undefined;
  // Go refuses HTTP_PROXY in a CGI process (golang.org/s/cgihttpproxy): a request header can set it there.
  if (!https && env.REQUEST_METHOD) return undefined;
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isLoopbackHost(host)) return undefined;
  const noProxy = envAny(env, ['NO_PROXY', 'no_proxy']);
  if (noProxy && parseNoProxy(noProxy.value)(host, target.port || DEFAULT_PORT[target.protocol]!)) return undefined;
  return parseProxy(found.value, found.name, 'USAGE');
}

/** The proxy for a request to `target`: `configured` (a kubeconfig's proxy-url) if set, else the environment's. */
export function proxyFor(
  target: URL,
  configured?: { url: string; where: string; code: ErrorCode },
  env: NodeJS.ProcessEnv = process.env,
): HttpProxy | undefined {
  if (configured) return parseProxy(configured.url, configured.where, configured.code);
  return envProxy(target, env);
}
