// Faults never turn into success (issue #16, transport class): a fake API server on 127.0.0.1 resets streams,
// truncates bodies, stalls and answers garbage, over HTTP/2 and HTTP/1.1. Every request either gets a complete,
// well-formed answer (after bounded retries where that is safe) or a typed KcError.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ApiClient } from '../../../src/kube/api-client.js';
import type { ClusterConnection } from '../../../src/kube/kubeconfig.js';
import { createTransport, type TransportOptions } from '../../../src/kube/transport.js';
import { uninterruptible } from '../../../src/kube/uninterruptible.js';
import { startFaultServer, type Fault, type FaultServer } from '../../helpers/fault-server.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';
import { makeTestCerts, type TestCerts } from '../../helpers/test-certs.js';

let certs: TestCerts;
let server: FaultServer;
beforeAll(async () => {
  certs = makeTestCerts();
  server = await startFaultServer(certs);
}, 30_000);
afterAll(() => server.close());

const conn = (url = server.url, ca = certs.ca): ClusterConnection => ({ server: url, context: 'test', namespace: 'ns', requestOptions: { ca } });
const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data: { a: '1' } });
const ref = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: 'ns' });
const fast: TransportOptions = { retry: { backoffMs: 5 } };
/** Scripts the first `n` attempts of every request to fail with `fault`, then answers normally. */
const failFirst = (fault: Fault, n: number) => (_: unknown, i: number): Fault => (i < n ? fault : 'ok');

describe.each([
  ['HTTP/2', true],
  ['HTTP/1.1', false],
])('over %s', (_name, h2) => {
  const client = (options: TransportOptions = {}) => {
    const t = createTransport(conn(), { ...fast, http2: h2, ...options });
    return { t, api: new ApiClient(t) };
  };

  test('a reset or truncated answer to an apply is retried and ends with the complete object', async () => {
    for (const fault of ['reset', 'truncate', 'cut-json'] as const) {
      server.reset(failFirst(fault, 2));
      const { t, api } = client();
      await expect(api.apply(cm(`web-${fault}`), { fieldManager: 'kc' })).resolves.toMatchObject(cm(`web-${fault}`));
      t.close();
      expect(server.seen.filter((r) => r.method === 'PATCH')).toHaveLength(3);
    }
  });

  test('an apply whose answer is lost every time is CONNECTION_LOST after 3 attempts, never success', async () => {
    for (const fault of ['reset', 'truncate'] as const) {
      server.reset(() => fault);
      const { t, api } = client();
      await expect(api.apply(cm('web'), { fieldManager: 'kc' })).rejects.toMatchObject({
        code: 'CONNECTION_LOST',
        message: expect.stringContaining('(3 attempts)'),
        hint: expect.stringContaining('may or may not have acted'),
      });
      t.close();
      expect(server.seen).toHaveLength(3);
    }
  });

  test('a create (POST) whose answer is lost is not sent again: CONNECTION_LOST after one attempt', async () => {
    server.reset(() => 'reset');
    const { t, api } = client();
    await expect(api.create(cm('once'))).rejects.toMatchObject({ code: 'CONNECTION_LOST' });
    t.close();
    expect(server.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  test('a DELETE retried after a lost answer that then meets 404 reports the object deleted, not "was never there"', async () => {
    server.reset((r, n) => (r.method !== 'DELETE' ? 'ok' : n === 0 ? 'reset' : 'not-found'));
    const { t, api } = client();
    await expect(api.delete(ref('gone'))).resolves.toBe(true);
    server.reset(() => 'not-found');
    await expect(api.delete(ref('never'))).resolves.toBe(false);
    t.close();
  });

  test('HTML or garbage with status 200 is RESPONSE_INVALID, never an empty list or an applied object', async () => {
    const { t, api } = client();
    server.reset(() => 'html-200');
    await expect(api.list('v1', 'ConfigMap', { namespace: 'ns' })).rejects.toMatchObject({ code: 'RESPONSE_INVALID', message: expect.stringContaining('text/html') });
    await expect(api.apply(cm('web'), { fieldManager: 'kc' })).rejects.toMatchObject({ code: 'RESPONSE_INVALID' });
    server.reset(() => 'garbage-200');
    await expect(api.get(ref('web'))).rejects.toMatchObject({ code: 'RESPONSE_INVALID', message: expect.stringContaining('does not parse') });
    server.reset(() => 'no-items');
    await expect(api.list('v1', 'ConfigMap', { namespace: 'ns' })).rejects.toMatchObject({ code: 'RESPONSE_INVALID', message: expect.stringContaining('items') });
    server.reset(() => 'wrong-object');
    await expect(api.apply(cm('web'), { fieldManager: 'kc' })).rejects.toMatchObject({ code: 'RESPONSE_INVALID', message: expect.stringContaining('expected ConfigMap/web, got Secret/someone-else') });
    await expect(api.get(ref('web'))).rejects.toMatchObject({ code: 'RESPONSE_INVALID' });
    server.reset(() => 'html-500');
    await expect(api.get(ref('web'))).rejects.toMatchObject({ code: 'API_ERROR', message: expect.stringContaining('HTTP 500') });
    t.close();
  });

  test('429 is retried as Retry-After says, a bounded number of times', async () => {
    server.reset(() => 'throttle');
    const sleeps: number[] = [];
    const { t, api } = client({ sleep: async (ms) => void sleeps.push(ms), maxRetries: 3 });
    await expect(api.get(ref('busy'))).rejects.toMatchObject({ code: 'API_ERROR' });
    t.close();
    expect(server.seen).toHaveLength(4);
    expect(sleeps).toEqual([0, 0, 0]);
  });
});

describe('TLS', () => {
  test('a server certificate signed by another CA is TLS_FAILED with a certificate hint, not INTERNAL', async () => {
    const t = createTransport(conn(server.url, certs.otherCa));
    await expect(new ApiClient(t).get(ref('x'))).rejects.toMatchObject({
      code: 'TLS_FAILED',
      message: expect.stringMatching(/^TLS with the Kubernetes API server at .* failed: unable to verify the first cert/),
      hint: expect.stringContaining('certificate-authority-data'),
    });
    t.close();
  });
});

describe('a server that stops answering', () => {
  test('fails every request within seconds (not one timeout after another), the queued ones unsent', async () => {
    server.reset(() => 'ok');
    const proxy = await startTcpProxy(Number(new URL(server.url).port));
    const t = createTransport(conn(`https://127.0.0.1:${proxy.port}`), { ...fast, maxInFlight: 4, idleMs: 150, pingTimeoutMs: 150, connectTimeoutMs: 300 });
    const api = new ApiClient(t);
    await api.get(ref('warm'));
    proxy.blackhole();
    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => api.apply(cm(`c${i}`), { fieldManager: 'kc' })));
    const elapsed = Date.now() - started;
    t.close();
    await proxy.close();
    const codes = new Set(results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'fulfilled')));
    expect([...codes].sort()).toEqual(['CLUSTER_UNREACHABLE', 'CONNECTION_LOST']);
    // 40 requests at 4 in flight with a 30 s timeout each took minutes before; the connection is found dead at once.
    expect(elapsed).toBeLessThan(5_000);
  }, 20_000);

  test('an abort rejects requests in flight at once with its reason; requests made after it still run', async () => {
    const controller = new AbortController();
    server.reset((r) => (r.path.includes('stuck') ? 'stall' : 'ok'));
    const t = createTransport(conn(), { signal: controller.signal, maxInFlight: 2 });
    const api = new ApiClient(t);
    const pending = Array.from({ length: 5 }, (_, i) => api.get(ref(`stuck-${i}`)));
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const reason = new Error('interrupted by SIGINT');
    controller.abort(reason);
    const results = await Promise.allSettled(pending);
    expect(Date.now() - started).toBeLessThan(500);
    expect(results.every((r) => r.status === 'rejected' && r.reason === reason)).toBe(true);
    // The operation's cleanup (mark the revision failed) still reaches the server.
    await expect(api.get(ref('after'))).resolves.toMatchObject({ metadata: { name: 'after' } });
    t.close();
  }, 10_000);

  test('a request made inside uninterruptible() is not abandoned by an abort: its answer is awaited', async () => {
    const controller = new AbortController();
    server.reset((r) => (r.path.includes('slow') ? 'slow' : 'ok'));
    const t = createTransport(conn(), { signal: controller.signal });
    const api = new ApiClient(t);
    const shielded = uninterruptible(() => api.get(ref('slow-final')));
    const plain = api.get(ref('slow-other'));
    await new Promise((r) => setTimeout(r, 50));
    controller.abort(new Error('interrupted by SIGINT'));
    await expect(plain).rejects.toThrow('interrupted by SIGINT');
    await expect(shielded).resolves.toMatchObject({ metadata: { name: 'slow-final' } });
    t.close();
  }, 10_000);

  test('clean-up requests after an abort stop waiting for a stalled server at the clean-up deadline', async () => {
    const controller = new AbortController();
    server.reset((r) => (r.path.includes('stuck') ? 'stall' : 'ok'));
    const t = createTransport(conn(), { signal: controller.signal, cleanupMs: 300 });
    const api = new ApiClient(t);
    controller.abort(new Error('interrupted by SIGINT'));
    const started = Date.now();
    // Two clean-up requests share one deadline, counted from the abort.
    const first = api.get(ref('stuck-a'));
    await new Promise((r) => setTimeout(r, 200));
    const second = api.get(ref('stuck-b'));
    const results = await Promise.allSettled([first, second]);
    expect(Date.now() - started).toBeLessThan(1000);
    for (const r of results) {
      expect(r).toMatchObject({ status: 'rejected', reason: { code: 'CONNECTION_LOST', message: expect.stringContaining('of the interruption') } });
    }
    await expect(api.get(ref('fine'))).rejects.toMatchObject({ code: 'CONNECTION_LOST' }); // past the deadline
    t.close();
  }, 10_000);
});
