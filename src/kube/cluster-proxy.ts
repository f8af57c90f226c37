// How the transport's senders reach the API server through a proxy: the cluster's proxy-url, else HTTPS_PROXY
// (HTTP_PROXY for an http:// server) unless NO_PROXY matches or the server is loopback, as kubectl decides.
import type http from 'node:http';
import type http2 from 'node:http2';
import net from 'node:net';
import type tls from 'node:tls';
import { proxyFor } from '../net/proxy-for.js';
import type { HttpProxy } from '../net/proxy-url.js';
import { connectThroughProxy, tlsThroughProxy } from '../net/tunnel.js';
import type { ClusterConnection } from './kubeconfig.js';

/** The proxy between kc and the cluster's API server, or undefined to connect directly. */
export function clusterProxy(
  conn: ClusterConnection,
  env: NodeJS.ProcessEnv = process.env,
): HttpProxy | undefined {
  const configured = conn.proxyUrl === undefined
    ? undefined
    : { url: conn.proxyUrl, where: `context ${conn.context}: proxy-url`, code: 'KUBECONFIG_INVALID' as const };
  return proxyFor(new URL(conn.server), configured, env);
}

/** http2.connect's createConnection for a session through the proxy (TLS offering h2 over a tunnel); {} without one. */
export function http2ProxyOptions(
  conn: ClusterConnection,
  tlsOptions: tls.ConnectionOptions,
  timeoutMs: number,
): Pick<http2.SecureClientSessionOptions, 'createConnection'> {
  const proxy = clusterProxy(conn);
  if (!proxy) return {};
  const url = new URL(conn.server);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const servername = tlsOptions.servername ?? (net.isIP(host) ? undefined : host);
  const target = { ...tlsOptions, host, port: Number(url.port || 443), servername, ALPNProtocols: ['h2'] };
  return { createConnection: () => tlsThroughProxy(proxy, target, timeoutMs) };
}

/** Makes an HTTP/1.1 sender's agent connect through the proxy, if there is one. */
export function viaClusterProxy(conn: ClusterConnection, agent: http.Agent, secure: boolean, timeoutMs: number): void {
  const proxy = clusterProxy(conn);
  if (proxy) connectThroughProxy(agent, proxy, secure, timeoutMs);
}
