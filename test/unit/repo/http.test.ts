import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { nodeHttpClient } from '../../../src/repo/index.js';

let server: http.Server;
let base: string;
const hung = new Set<http.ServerResponse>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/ok') return res.end('hello');
    if (url === '/big') return res.end(Buffer.alloc(4096));
    if (url === '/chunked-big') {
      // No content-length: the client must count the bytes as they come.
      for (let i = 0; i < 8; i++) res.write(Buffer.alloc(1024));
      return res.end();
    }
    if (url === '/moved') return res.writeHead(302, { location: '/ok' }).end();
    if (url.startsWith('/loop')) return res.writeHead(302, { location: `/loop${Number(url.slice(5) || 0) + 1}` }).end();
    if (url === '/hang') return void hung.add(res);
    res.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hung) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('the HTTP client (127.0.0.1 only)', () => {
  const client = nodeHttpClient({ maxBytes: 2048, timeoutMs: 2000, maxRedirects: 3 });

  test('returns status, headers and body', async () => {
    const res = await client.fetch(`${base}/ok`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('hello');
    expect(res.headers['content-length']).toBe('5');
  });

  test('follows a redirect', async () => {
    expect((await client.fetch(`${base}/moved`)).body.toString()).toBe('hello');
  });

  test('a redirect loop stops after the allowed number of hops', async () => {
    await expect(client.fetch(`${base}/loop`)).rejects.toMatchObject({ code: 'FETCH_FAILED', message: `cannot download ${base}/loop: more than 3 redirects` });
  });

  test('a non-2xx answer is FETCH_FAILED naming the status', async () => {
    await expect(client.fetch(`${base}/missing`)).rejects.toMatchObject({ code: 'FETCH_FAILED', message: `cannot download ${base}/missing: the server answered 404` });
  });

  test('a body over the cap is refused, whether announced or streamed', async () => {
    await expect(client.fetch(`${base}/big`)).rejects.toMatchObject({ message: expect.stringContaining('the response is 4 KiB, more than the 2 KiB allowed') });
    await expect(client.fetch(`${base}/chunked-big`)).rejects.toMatchObject({ message: expect.stringContaining('the response exceeds the 2 KiB allowed') });
    await expect(client.fetch(`${base}/big`, { maxBytes: 8192 })).resolves.toMatchObject({ status: 200 });
  });

  test('a server that never answers times out', async () => {
    const started = Date.now();
    await expect(client.fetch(`${base}/hang`, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'FETCH_FAILED', message: `cannot download ${base}/hang: no complete response within 0.3 s` });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('a refused connection and a bad URL are FETCH_FAILED', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(client.fetch(`http://127.0.0.1:${port}/x`)).rejects.toMatchObject({ code: 'FETCH_FAILED', message: expect.stringContaining('ECONNREFUSED') });
    await expect(client.fetch('not a url')).rejects.toMatchObject({ code: 'FETCH_FAILED', message: 'cannot download not a url: not a valid URL' });
    await expect(client.fetch('ftp://127.0.0.1/x')).rejects.toMatchObject({ message: expect.stringContaining('unsupported protocol ftp:') });
  });
});
