// The flow-control windows kc's HTTP/2 session offers the API server: large enough that a LIST answer of a few
// hundred KB (or several at once) needs no window update from kc on the way (HTTP/2's default is 64 KiB).
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createTransport } from '../../../src/kube/transport.js';
import { makeTestCerts, type TestCerts } from '../../helpers/test-certs.js';

let certs: TestCerts;
let server: http2.Http2SecureServer;
let url: string;
const seen: { streamWindow?: number; sessionWindow?: number }[] = [];
const items = Array.from({ length: 4000 }, (_, i) => ({ metadata: { name: `cm-${i}` }, data: { v: 'x'.repeat(100) } }));

beforeAll(async () => {
  certs = makeTestCerts();
  server = http2.createSecureServer({ key: certs.key, cert: certs.cert });
  server.on('stream', (stream) => {
    const session = stream.session!;
    seen.push({
      streamWindow: session.remoteSettings.initialWindowSize,
      sessionWindow: session.state.remoteWindowSize,
    });
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    stream.end(JSON.stringify({ items }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 30_000);
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('offers 4 MiB a stream and 16 MiB for the connection, and reads answers larger than both defaults', async () => {
  const conn = { server: url, context: 'test', namespace: 'ns', requestOptions: { ca: certs.ca } };
  const t = createTransport(conn);
  try {
    await t.request({ method: 'GET', path: '/api/v1/namespaces/ns/configmaps' }); // the session's settings settle
    const answers = await Promise.all(
      [1, 2, 3].map(() => t.request({ method: 'GET', path: '/api/v1/namespaces/ns/configmaps' })),
    );
    for (const a of answers) expect((a.body as { items: unknown[] }).items).toHaveLength(items.length);
    const last = seen[seen.length - 1];
    expect(last.streamWindow).toBe(4 * 1024 * 1024);
    expect(last.sessionWindow).toBeGreaterThan(8 * 1024 * 1024);
  } finally {
    t.close();
  }
});

test('a session closed while it connects takes no settings and throws nothing', async () => {
  const conn = { server: url, context: 'test', namespace: 'ns', requestOptions: { ca: certs.ca } };
  const thrown: unknown[] = [];
  const onThrow = (err: unknown) => thrown.push(err);
  process.on('uncaughtException', onThrow);
  try {
    for (let i = 0; i < 5; i++) {
      const t = createTransport(conn);
      t.connect(); // as an install does before it reads the chart, which may then fail at once
      t.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    process.off('uncaughtException', onThrow);
  }
  expect(thrown).toEqual([]);
});
