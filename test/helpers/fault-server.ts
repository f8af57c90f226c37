// A fake Kubernetes API server on 127.0.0.1 (HTTP/2 and HTTP/1.1 over TLS) that misbehaves on demand: resets
// streams, stalls, truncates bodies, answers HTML or garbage. By default it acts as a tiny API: an apply or create
// returns the object sent, a GET returns a ConfigMap of the name asked for, a list returns an empty ConfigMapList.
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TestCerts } from './test-certs.js';

/** What the server does with one request. */
export type Fault =
  | 'ok'
  /** RST_STREAM (h2, INTERNAL_ERROR) or a closed connection (h1) before any answer. */
  | 'reset'
  /** Headers and half the body, then RST_STREAM with NO_ERROR (h2) or a closed connection (h1). */
  | 'truncate'
  /** Headers and half the body, then END_STREAM with no Content-Length: the body just stops. */
  | 'cut-json'
  /** Never answers. */
  | 'stall'
  /** Answers as 'ok' after 300 ms. */
  | 'slow'
  | 'html-200'
  | 'garbage-200'
  | 'html-500'
  /** 429 with Retry-After: 0. */
  | 'throttle'
  /** 200 with an object other than the one asked for. */
  | 'wrong-object'
  /** 200 with a list body that has no items. */
  | 'no-items'
  | 'not-found';

/** One request as the server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  version: string;
  body: string;
}

/** A watch answer (?watch=1) being written by a test: event lines as it likes, then an end, a break or a status. */
export interface WatchWriter {
  request: SeenRequest;
  /** Writes one event line now: `{"type":type,"object":object}`. */
  event(type: string, object: unknown): void;
  /** Writes a raw line (e.g. garbage). */
  line(text: string): void;
  /** Ends the answer cleanly, as the API server does at the request's timeoutSeconds. */
  end(): void;
  /** Breaks the answer off mid-stream (RST_STREAM on HTTP/2, a closed connection on HTTP/1.1). */
  drop(): void;
  /** Answers with a whole status and JSON body instead of a stream (403, 410, …). */
  reply(status: number, body: unknown): void;
  /** Whether the client still holds the answer open. */
  readonly open: boolean;
}

/** A running fault server. */
export interface FaultServer {
  url: string;
  seen: SeenRequest[];
  /** When set, answers every watch request (query watch=1 or watch=true); the script decides all others. */
  onWatch?: (w: WatchWriter) => void;
  /** When set, the body of a GET the script answers 'ok' (undefined: the default body), e.g. a list with a version. */
  okBody?: (req: SeenRequest) => unknown;
  /** Decides each request's fault; `n` counts earlier requests with the same method and path. */
  script: (req: SeenRequest, n: number) => Fault;
  /** Sets the script and forgets the requests seen so far (and their counts). */
  reset(script: FaultServer['script']): void;
  close(): Promise<void>;
}

function okBody(req: SeenRequest): unknown {
  if (req.method === 'PATCH' || req.method === 'POST' || req.method === 'PUT') return JSON.parse(req.body || '{}');
  if (req.method === 'DELETE') return { kind: 'Status', apiVersion: 'v1', status: 'Success' };
  const parts = req.path.split('?')[0].split('/');
  if (parts.at(-2) === 'configmaps') return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: parts.at(-1) } };
  return { apiVersion: 'v1', kind: 'ConfigMapList', metadata: {}, items: [] };
}

/** Starts a fault server with the given certificate (HTTP/2 offered, HTTP/1.1 allowed). */
export async function startFaultServer(
  certs: TestCerts,
  script: FaultServer['script'] = () => 'ok',
): Promise<FaultServer> {
  const seen: SeenRequest[] = [];
  const counts = new Map<string, number>();
  const stalled = new Set<{ destroy(): void }>();
  const server = http2.createSecureServer({ key: certs.key, cert: certs.cert, allowHTTP1: true });
  const self: FaultServer = {
    url: '', seen, script, close: async () => undefined,
    reset(next) {
      self.script = next;
      seen.length = 0;
      counts.clear();
    },
  };
  server.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const r: SeenRequest = { method: req.method, path: req.url, version: req.httpVersion, body };
      seen.push(r);
      const key = `${r.method} ${r.path}`;
      const n = counts.get(key) ?? 0;
      counts.set(key, n + 1);
      if (self.onWatch && /[?&]watch=(1|true)(&|$)/.test(r.path)) return watchAnswer(r, req, res);
      answer(r, self.script(r, n), req, res);
    });
  });

  const answer = (r: SeenRequest, fault: Fault, req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    const h2 = r.version === '2.0';
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const breakOff = (code: number) => (h2 ? req.stream.close(code) : req.socket.destroy());
    const half = () => JSON.stringify(okBody(r)).slice(0, 10);
    switch (fault) {
      case 'ok': return json(200, (r.method === 'GET' ? self.okBody?.(r) : undefined) ?? okBody(r));
      case 'reset': return breakOff(http2.constants.NGHTTP2_INTERNAL_ERROR);
      case 'truncate':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
        res.write(half());
        return void setTimeout(() => breakOff(http2.constants.NGHTTP2_NO_ERROR), 20);
      case 'cut-json':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(half());
      case 'slow': return void setTimeout(() => json(200, okBody(r)), 300);
      case 'stall': {
        const held = h2 ? req.stream : req.socket;
        stalled.add(held);
        return;
      }
      case 'html-200':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html><body>Please log in</body></html>');
      case 'garbage-200':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('\u0000\u0001not json at all');
      case 'html-500':
        res.writeHead(500, { 'content-type': 'text/html' });
        return res.end('<html>Internal Server Error</html>');
      case 'throttle': return json(429, { kind: 'Status', code: 429 }, { 'retry-after': '0' });
      case 'wrong-object': return json(200, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'someone-else' } });
      case 'no-items': return json(200, { kind: 'Status', status: 'Success' });
      case 'not-found':
        return json(404, { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
    }
  };

  const watchAnswer = (r: SeenRequest, req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    let open = true;
    let started = false;
    res.on('close', () => (open = false));
    const write = (text: string) => {
      if (!open) return;
      if (!started) res.writeHead(200, { 'content-type': 'application/json' });
      started = true;
      res.write(`${text}\n`);
    };
    const writer: WatchWriter = {
      request: r,
      event: (type, object) => write(JSON.stringify({ type, object })),
      line: write,
      end: () => {
        if (!open) return;
        if (!started) res.writeHead(200, { 'content-type': 'application/json' });
        res.end();
      },
      drop: () => {
        if (r.version === '2.0') req.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
        else req.socket.destroy();
      },
      reply: (status, body) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      },
      get open() {
        return open;
      },
    };
    self.onWatch?.(writer);
  };

  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  self.close = () =>
    new Promise<void>((resolve) => {
      for (const s of stalled) s.destroy();
      for (const s of sessions) s.destroy();
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return self;
}
