// Connections through a proxy for kc's HTTP clients: a CONNECT tunnel, and TLS to the server over it. The tunnel code
// (proxy-connect.ts, with hpagent) is imported on first use, so kc without a proxy never loads it.
import type http from 'node:http';
import { Duplex, PassThrough } from 'node:stream';
import tls from 'node:tls';
import type { HttpProxy } from './proxy-url.js';

const tunnelTo = (proxy: HttpProxy, host: string, port: number, timeoutMs: number) =>
  import('./proxy-connect.js').then((m) => m.connectTunnel(proxy, host, port, timeoutMs));

/** Where a connection goes, with the TLS options to use there. */
export type TlsTarget = tls.ConnectionOptions & { host: string; port: number };

/**
 * A TLS socket to the target through the proxy, returned at once (HTTP/2's createConnection needs one): TLS bytes
 * wait until the proxy opened the tunnel, and a failed tunnel fails the socket with the tunnel's error.
 */
export function tlsThroughProxy(proxy: HttpProxy, target: TlsTarget, timeoutMs: number): tls.TLSSocket {
  const toProxy = new PassThrough();
  const fromProxy = new PassThrough();
  const pending = Duplex.from({ readable: fromProxy, writable: toProxy });
  tunnelTo(proxy, target.host, target.port, timeoutMs).then(
    (socket) => {
      if (pending.destroyed) return void socket.destroy();
      toProxy.pipe(socket);
      socket.pipe(fromProxy);
      socket.once('error', (err) => pending.destroy(err));
      // A tunnel cut without an error (or without its end) still ends the session above it, and the other way round.
      socket.once('close', () => pending.destroy());
      pending.once('close', () => socket.destroy());
    },
    (err: Error) => pending.destroy(err),
  );
  return tls.connect({ ...target, socket: pending });
}

type CreateConnection = (options: TlsTarget, callback: (err: Error | null, socket?: Duplex) => void) => undefined;

/** Makes `agent` open its connections through the proxy: a tunnel, and TLS over it when `secure`. */
export function connectThroughProxy<A extends http.Agent>(
  agent: A,
  proxy: HttpProxy,
  secure: boolean,
  timeoutMs: number,
): A {
  const create: CreateConnection = (options, callback) => {
    tunnelTo(proxy, options.host, Number(options.port), timeoutMs).then(
      (socket) => callback(null, secure ? tls.connect({ ...options, socket }) : socket),
      (err: Error) => callback(err),
    );
    return undefined;
  };
  (agent as unknown as { createConnection: CreateConnection }).createConnection = create;
  return agent;
}
