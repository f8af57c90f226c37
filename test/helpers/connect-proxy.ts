// A CONNECT proxy on 127.0.0.1 for tests: records each CONNECT (target and headers), checks Proxy-Authorization when
// told to, and pipes the tunnel to 127.0.0.1 at the target's port whatever host was asked for (so names that resolve
// nowhere still reach the loopback test server, and nothing leaves this machine). Plain-http requests sent to it in
// absolute form (GET http://host:port/path) are forwarded the same way.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';

/** One CONNECT as the proxy saw it. */
export interface SeenConnect {
  target: string;
  headers: http.IncomingHttpHeaders;
  /** True for a plain-http request forwarded in absolute form, not a CONNECT. */
  forwarded?: boolean;
}

/** A running proxy. */
export interface ConnectProxy {
  url: string;
  port: number;
  seen: SeenConnect[];
  /** Destroys every connection through it now (tunnels included). */
  cutAll(): void;
  close(): Promise<void>;
}

/** Starts the proxy; with `auth` ("user:password"), a CONNECT without that Basic Proxy-Authorization gets 407. */
export async function startConnectProxy(auth?: string): Promise<ConnectProxy> {
  const seen: SeenConnect[] = [];
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const expected = auth && `Basic ${Buffer.from(auth).toString('base64')}`;
  const server = http.createServer((req, res) => {
    const target = /^http:\/\/([^/]+)/.exec(req.url ?? '')?.[1];
    if (!target) return void res.writeHead(405).end();
    seen.push({ target, headers: req.headers, forwarded: true });
    if (expected && req.headers['proxy-authorization'] !== expected) return void res.writeHead(407).end();
    const url = new URL(req.url!);
    const options = { host: '127.0.0.1', port: Number(url.port || 80), path: `${url.pathname}${url.search}` };
    const upstream = http.request({ ...options, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    track(client);
    const target = req.url ?? '';
    seen.push({ target, headers: req.headers });
    if (expected && req.headers['proxy-authorization'] !== expected) {
      return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
    }
    const port = Number(/:(\d+)$/.exec(target)?.[1]);
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.on('connection', track);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    cutAll: () => sockets.forEach((s) => s.destroy()),
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
