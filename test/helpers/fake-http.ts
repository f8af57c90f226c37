// A scriptable HTTP server on 127.0.0.1 for unit tests of HTTP clients: each request is recorded (method, URL,
// headers, body) and answered by the test's handler. close() ends every connection, so no handle outlives a file.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server saw. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A running fake server. */
export interface FakeServer {
  /** `127.0.0.1:PORT` */
  host: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** Starts a server answering with `handler` (the request body is read before it is called). */
export async function startFakeHttp(
  handler: (req: SeenRequest, res: http.ServerResponse) => void,
): Promise<FakeServer> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(seen);
      handler(seen, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
