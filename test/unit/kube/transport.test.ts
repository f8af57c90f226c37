import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createTransport } from '../../../src/kube/transport.js';
import type { ClusterConnection } from '../../../src/kube/kubeconfig.js';

// A real HTTP server on loopback that answers 429 to the first request of each path and counts concurrency.
let server: http.Server;
let url: string;
let inFlight = 0;
let maxInFlight = 0;
const seen = new Set<string>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const first = req.url!.startsWith('/throttled') && !seen.has(req.url!);
    seen.add(req.url!);
    setTimeout(() => {
      inFlight--;
      if (first) {
        res.writeHead(429, { 'Retry-After': '1', 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', code: 429 }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ path: req.url }));
    }, 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const conn = (server: string): ClusterConnection => ({ server, context: 'test', namespace: 'default', requestOptions: {} });

describe('transport', () => {
  test('never has more than maxInFlight requests open', async () => {
    const t = createTransport(conn(url), { maxInFlight: 4 });
    maxInFlight = 0;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => t.request({ method: 'GET', path: `/object/${i}` })));
    t.close();
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  test('waits as Retry-After says on 429 and retries', async () => {
    const sleeps: number[] = [];
    const t = createTransport(conn(url), { sleep: async (ms) => void sleeps.push(ms) });
    const res = await t.request({ method: 'GET', path: '/throttled/a' });
    t.close();
    expect(res.status).toBe(200);
    expect(sleeps).toEqual([1000]);
  });

  test('a closed port is CLUSTER_UNREACHABLE naming the server and the fix', async () => {
    const t = createTransport(conn('http://127.0.0.1:1'));
    await expect(t.request({ method: 'GET', path: '/version' })).rejects.toMatchObject({
      code: 'CLUSTER_UNREACHABLE',
      message: expect.stringContaining('cannot reach the Kubernetes API server at http://127.0.0.1:1'),
    });
    t.close();
  });
});
