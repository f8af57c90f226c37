// The transport over TLS against real loopback servers: HTTP/2 when offered, HTTP/1.1 when not, and failures
// that name the cause. Certificates are made for the run with openssl (throwaway, 127.0.0.1 only).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createTransport } from '../../../src/kube/transport.js';
import type { ClusterConnection } from '../../../src/kube/kubeconfig.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-tls-'));
const pem = (name: string) => fs.readFileSync(path.join(dir, name));
function selfSigned(name: string, subject: string, san?: string): void {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(dir, `${name}.key`), '-out', path.join(dir, `${name}.crt`), '-days', '1', '-subj', subject, ...(san ? ['-addext', san] : [])], { stdio: 'ignore' });
}

/** What a server saw: HTTP version, authorization header, and the most requests open at once. */
const seen = { versions: new Set<string>(), auth: new Set<string>(), inFlight: 0, maxInFlight: 0, throttled: new Set<string>() };
function handler(req: http2.Http2ServerRequest | import('node:http').IncomingMessage, res: http2.Http2ServerResponse | import('node:http').ServerResponse): void {
  seen.versions.add(req.httpVersion);
  seen.auth.add(String(req.headers.authorization ?? ''));
  seen.inFlight++;
  seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.url!.startsWith('/hang')) return; // never answers
    setTimeout(() => {
      seen.inFlight--;
      if (req.url!.startsWith('/throttled') && !seen.throttled.has(req.url!)) {
        seen.throttled.add(req.url!);
        res.writeHead(429, { 'retry-after': '2', 'content-type': 'application/json' });
        res.end('{"kind":"Status","code":429}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, path: req.url, body: Buffer.concat(chunks).toString('utf8') }));
    }, 10);
  });
}

let h2Server: http2.Http2SecureServer;
let h1Server: https.Server;
const urls = { h2: '', h1: '' };
beforeAll(async () => {
  selfSigned('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1');
  selfSigned('other', '/CN=unrelated test CA');
  const tls = { key: pem('server.key'), cert: pem('server.crt') };
  h2Server = http2.createSecureServer({ ...tls, allowHTTP1: false }, handler);
  h1Server = https.createServer(tls, handler); // offers only http/1.1 in ALPN
  for (const [name, server] of [['h2', h2Server], ['h1', h1Server]] as const) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    urls[name] = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
});
afterAll(async () => {
  await new Promise((r) => h2Server.close(r));
  await new Promise((r) => h1Server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

const conn = (server: string, requestOptions: ClusterConnection['requestOptions'] = { ca: pem('server.crt') }): ClusterConnection => ({ server, context: 'test', namespace: 'default', requestOptions });

describe('transport over TLS', () => {
  test('speaks HTTP/2 when the server offers it, with bounded streams, headers and JSON bodies', async () => {
    seen.versions.clear();
    seen.maxInFlight = 0;
    const t = createTransport(conn(urls.h2, { ca: pem('server.crt'), headers: { Authorization: 'Bearer t0ken' } }), { maxInFlight: 4 });
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => t.request({ method: 'PATCH', path: `/o/${i}`, query: { fieldManager: 'kc', force: undefined }, body: { i }, contentType: 'application/apply-patch+yaml' })));
    t.close();
    expect(results.map((r) => r.status)).toEqual(Array(24).fill(200));
    expect(results[3].body).toEqual({ method: 'PATCH', path: '/o/3?fieldManager=kc', body: '{"i":3}' });
    // A DELETE carries its DeleteOptions as a body (Node would end a DELETE stream before it unless told).
    const t2 = createTransport(conn(urls.h2));
    const del = await t2.request({ method: 'DELETE', path: '/o/1', body: { propagationPolicy: 'Background' } });
    t2.close();
    expect(del.body).toEqual({ method: 'DELETE', path: '/o/1', body: '{"propagationPolicy":"Background"}' });
    expect([...seen.versions]).toEqual(['2.0']);
    expect(seen.auth.has('Bearer t0ken')).toBe(true);
    expect(seen.maxInFlight).toBeLessThanOrEqual(4);
    expect(seen.maxInFlight).toBeGreaterThan(1);
  });

  test('by default sends 64 requests at once over HTTP/2, and opens 16 connections over HTTP/1.1', async () => {
    // More than 16 (the old bound) over HTTP/2; the exact peak depends on how fast the server answers.
    for (const [server, least, most] of [[urls.h2, 17, 64], [urls.h1, 2, 16]] as const) {
      seen.maxInFlight = 0;
      const t = createTransport(conn(server));
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => t.request({ method: 'GET', path: `/d/${i}` })));
      t.close();
      expect(results.map((r) => r.status)).toEqual(Array(100).fill(200));
      expect(seen.maxInFlight).toBeGreaterThanOrEqual(least);
      expect(seen.maxInFlight).toBeLessThanOrEqual(most);
    }
  });

  test('honours 429 Retry-After over HTTP/2, and basic auth becomes a header', async () => {
    const sleeps: number[] = [];
    const t = createTransport(conn(urls.h2, { ca: pem('server.crt'), auth: 'user:pw' }), { sleep: async (ms) => void sleeps.push(ms) });
    const res = await t.request({ method: 'GET', path: '/throttled/x' });
    t.close();
    expect(res.status).toBe(200);
    expect(sleeps).toEqual([2000]);
    expect(seen.auth.has(`Basic ${Buffer.from('user:pw').toString('base64')}`)).toBe(true);
  });

  test('streams the server refuses when it goes away are sent again on a new connection', async () => {
    const refusing = http2.createSecureServer({ key: pem('server.key'), cert: pem('server.crt') });
    let sessions = 0;
    refusing.on('session', (session) => {
      sessions++;
      let streams = 0;
      // The first connection goes away after its fourth stream arrives, having processed only the first.
      if (sessions === 1) session.on('stream', () => ++streams === 4 && session.goaway(0, 1));
    });
    refusing.on('stream', (stream) => {
      stream.on('error', () => undefined);
      setTimeout(() => {
        if (stream.destroyed || stream.closed) return;
        stream.respond({ ':status': 200, 'content-type': 'application/json' });
        stream.end('{"ok":true}');
      }, 20);
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const t = createTransport(conn(`https://127.0.0.1:${(refusing.address() as AddressInfo).port}`));
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => t.request({ method: 'PATCH', path: `/r/${i}`, body: {} })));
    t.close();
    await new Promise((r) => refusing.close(r));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(sessions).toBe(2);
  });

  test('falls back to HTTP/1.1 for a server that does not offer HTTP/2', async () => {
    seen.versions.clear();
    const t = createTransport(conn(urls.h1));
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => t.request({ method: 'GET', path: `/a/${i}` })));
    const later = await t.request({ method: 'GET', path: '/b' });
    t.close();
    expect([...results, later].every((r) => r.status === 200)).toBe(true);
    expect([...seen.versions]).toEqual(['1.1']);
  });

  test('a certificate the CA does not vouch for is TLS_FAILED naming the cause, over HTTP/2 and HTTP/1.1', async () => {
    for (const url of [urls.h2, urls.h1]) {
      const t = createTransport(conn(url, { ca: pem('other.crt') }));
      const message = expect.stringMatching(/^TLS with the Kubernetes API server at .* failed: .*certificate/);
      await expect(t.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({ code: 'TLS_FAILED', message });
      t.close();
    }
    // Requests queued behind the failed handshake fail as it did, not as CLUSTER_UNREACHABLE.
    const t = createTransport(conn(urls.h1, { ca: pem('other.crt') }), { maxInFlight: 1 });
    const all = await Promise.allSettled([1, 2, 3].map((i) => t.request({ method: 'GET', path: `/q/${i}` })));
    t.close();
    const codes = all.map((r) => r.status === 'rejected' && (r.reason as { code: string }).code);
    expect(codes).toEqual(Array(3).fill('TLS_FAILED'));
    expect(all[2]).toMatchObject({ reason: { message: expect.stringContaining('GET /q/3 was not sent: TLS with') } });
  });

  test('an answer that never comes times out as CONNECTION_LOST', async () => {
    const t = createTransport(conn(urls.h2), { timeoutMs: 200 });
    await expect(t.request({ method: 'GET', path: '/hang' })).rejects.toMatchObject({ code: 'CONNECTION_LOST', message: expect.stringContaining('no answer within 200 ms') });
    t.close();
  });

  test('a closed port is CLUSTER_UNREACHABLE', async () => {
    const t = createTransport(conn('https://127.0.0.1:1'));
    await expect(t.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE', message: expect.stringContaining('ECONNREFUSED') });
    t.close();
  });
});
