// Preloaded into a kc process (`node --import <this file> bin/kc.cjs …`) by the release benchmark: records every
// request kc sends to the API server (method, path, a few query keys, start, end, status, bytes) and writes them
// with the process's exit time to $BENCH_TRACE_FILE. Times are ms since the process started (performance.now()).
// kc is not changed: its transport calls `http2.connect` (HTTP/2 streams) or `https.request` (HTTP/1.1) on the
// module objects, which are wrapped here. With BENCH_TRACE_IMPORT=<module>, the tracer imports that module first and records how long it
// took (kc imports @kubernetes/client-node lazily, for kubeconfig parsing; its later import is then a cache hit).
import { createRequire } from 'node:module';
import fs from 'node:fs';

const require = createRequire(import.meta.url);
const out = process.env.BENCH_TRACE_FILE;
const events = [];
const marks = { tracerStart: performance.now() };

if (out) {
  for (const name of ['node:https', 'node:http']) {
    const mod = require(name);
    const original = mod.request;
    mod.request = function tracedRequest(options, ...rest) {
      const start = performance.now();
      const req = original.call(this, options, ...rest);
      const url = new URL(`http://x${(typeof options === 'object' && options?.path) || '/'}`);
      const event = {
        method: (typeof options === 'object' && options?.method) || 'GET',
        path: url.pathname,
        labelSelector: url.searchParams.get('labelSelector') ?? undefined,
        start,
        end: undefined,
        status: undefined,
        bytes: 0,
      };
      events.push(event);
      req.on('response', (res) => {
        event.status = res.statusCode;
        res.on('data', (c) => (event.bytes += c.length));
        res.on('end', () => (event.end = performance.now()));
      });
      req.on('error', () => (event.end ??= performance.now()));
      return req;
    };
  }
  const http2 = require('node:http2');
  const connect = http2.connect;
  http2.connect = function tracedConnect(...args) {
    const session = connect.apply(this, args);
    const request = session.request;
    session.request = function tracedStream(headers, ...rest) {
      const start = performance.now();
      const stream = request.call(this, headers, ...rest);
      const url = new URL(`http://x${headers[':path'] ?? '/'}`);
      const event = { method: headers[':method'] ?? 'GET', path: url.pathname, labelSelector: url.searchParams.get('labelSelector') ?? undefined, start, end: undefined, status: undefined, bytes: 0 };
      events.push(event);
      stream.on('response', (h) => (event.status = h[':status']));
      stream.on('data', (c) => (event.bytes += c.length));
      stream.on('end', () => (event.end = performance.now()));
      stream.on('close', () => (event.end ??= performance.now()));
      return stream;
    };
    return session;
  };
  process.on('exit', () => {
    fs.writeFileSync(out, JSON.stringify({ exit: performance.now(), marks, events }));
  });
  if (process.env.BENCH_TRACE_IMPORT) {
    const start = performance.now();
    await import(process.env.BENCH_TRACE_IMPORT);
    marks.preImport = { module: process.env.BENCH_TRACE_IMPORT, start, end: performance.now() };
  }
}
