// Opens CONNECT tunnels with hpagent (already the proxy agent of client-node, kc's kubeconfig library): it sends the
// CONNECT, the proxy URL's credentials as Proxy-Authorization, and speaks TLS to an https:// proxy. Loaded only when
// a proxy is used (see tunnel.ts), so commands without one never evaluate it.
import net from 'node:net';
import { HttpProxyAgent } from 'hpagent';
import { SenderCodes } from '../kube/network-failure.js';
import type { HttpProxy } from './proxy-url.js';
import { USER_AGENT } from './user-agent.js';

type Connect = (
  options: { host: string; port: number; timeout: number },
  cb: (err: Error | null, socket: net.Socket) => void,
) => void;

/** An error with a code, naming the proxy (never its credentials); `proxy` marks it for the hint. */
function proxyError(code: string, message: string, proxy: HttpProxy, cause?: Error): NodeJS.ErrnoException {
  return Object.assign(new Error(message, cause ? { cause } : undefined), { code, proxy: proxy.display });
}

/** The failure of a tunnel, from hpagent's error (its message is the only place it puts the proxy's status). */
function tunnelError(err: Error, proxy: HttpProxy, target: string, timeoutMs: number): NodeJS.ErrnoException {
  const status = /^Bad response: (\d{3})$/.exec(err.message)?.[1];
  if (status) {
    const why = status === '407' ? ' (proxy authentication required)' : '';
    const message = `the proxy ${proxy.display} answered ${status}${why} to CONNECT ${target}`;
    return proxyError(SenderCodes.proxyFailed, message, proxy);
  }
  if (err.message === 'Proxy timeout') {
    const message = `the proxy ${proxy.display} opened no tunnel to ${target} within ${timeoutMs} ms`;
    return proxyError(SenderCodes.connectTimeout, message, proxy);
  }
  // Whatever failed (refused, reset, TLS to an https:// proxy), no tunnel was opened: nothing reached the server.
  const message = `cannot connect to the proxy ${proxy.display}: ${err.message}`;
  return proxyError(SenderCodes.proxyFailed, message, proxy, err);
}

/** A TCP stream to host:port through the proxy, once it answered 200 to CONNECT (within `timeoutMs`). */
export function connectTunnel(
  proxy: HttpProxy,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<net.Socket> {
  const headers = { 'user-agent': USER_AGENT };
  const agent = new HttpProxyAgent({ proxy: proxy.url, keepAlive: true, proxyRequestOptions: { headers } });
  const authority = net.isIPv6(host) ? `[${host}]` : host;
  return new Promise((resolve, reject) => {
    (agent.createConnection as unknown as Connect)({ host: authority, port, timeout: timeoutMs }, (err, socket) => {
      if (err) return reject(tunnelError(err, proxy, `${authority}:${port}`, timeoutMs));
      socket.setTimeout(0); // the CONNECT request's timeout is not the tunnel's
      resolve(socket);
    });
  });
}
