// Redirects end to end between real loopback servers on different ports (127.0.0.1 only): credentials stay with
// their origin, https never goes down to http, and no printed URL carries a password. Also: a wrong CA is TLS_FAILED.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { nodeHttpClient } from '../../../src/repo/index.js';
import { makeTestCerts, type TestCerts } from '../../helpers/test-certs.js';

/** Every request each server saw: its path and the headers that could carry credentials. */
const seen: { server: string; url: string; authorization?: string; token?: string }[] = [];
let certs: TestCerts;
let a: http.Server;
let b: http.Server;
let s: https.Server;
const base = { a: '', b: '', s: '' };

function record(name: string, req: http.IncomingMessage): string {
  const url = req.url ?? '/';
  const token = req.headers['x-token'] as string | undefined;
  seen.push({ server: name, url, authorization: req.headers.authorization, token });
  return url;
}

async function listen<T extends http.Server>(server: T): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  certs = makeTestCerts();
  a = http.createServer((req, res) => {
    const url = record('a', req);
    const to: Record<string, string> = {
      '/cross': `http://${base.b}/file`,
      '/same': '/file',
      '/away-and-back': `http://${base.b}/back`,
      '/with-userinfo': `http://mallory:stolen@${base.b}/file`,
      '/to-file': 'file:///etc/passwd',
      '/bad-location': 'http://[::1',
    };
    if (to[url]) return res.writeHead(302, { location: to[url] }).end();
    if (url === '/file') return res.end('from a');
    res.writeHead(404).end();
  });
  b = http.createServer((req, res) => {
    const url = record('b', req);
    if (url === '/back') return res.writeHead(302, { location: `http://${base.a}/file` }).end();
    res.end('from b');
  });
  s = https.createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    const url = record('s', req);
    if (url === '/down') return res.writeHead(301, { location: `http://${base.b}/file` }).end();
    if (url === '/same') return res.writeHead(302, { location: '/file' }).end();
    res.end('from s');
  });
  base.a = await listen(a);
  base.b = await listen(b);
  base.s = await listen(s);
});

afterAll(async () => {
  for (const server of [a, b, s]) await new Promise((resolve) => server.close(resolve));
});

const client = nodeHttpClient({ timeoutMs: 5000, maxRedirects: 4 });
const trusting = () => nodeHttpClient({ timeoutMs: 5000, ca: certs.ca });
const auth = `Basic ${Buffer.from('alice:pw').toString('base64')}`;
const hits = (server: string) => seen.filter((r) => r.server === server);

describe('credentials and redirects', () => {
  test('user info and added headers reach the first origin, never another one', async () => {
    seen.length = 0;
    const res = await client.fetch(`http://alice:pw@${base.a}/cross`, { headers: { 'x-token': 'secret-token' } });
    expect(res.body.toString()).toBe('from b');
    expect(hits('a')).toEqual([{ server: 'a', url: '/cross', authorization: auth, token: 'secret-token' }]);
    expect(hits('b')).toEqual([{ server: 'b', url: '/file', authorization: undefined, token: undefined }]);
  });

  test('a redirect within the same origin keeps them', async () => {
    seen.length = 0;
    await client.fetch(`http://alice:pw@${base.a}/same`, { headers: { authorization: 'Bearer t0ken' } });
    expect(hits('a').map((r) => r.authorization)).toEqual(['Bearer t0ken', 'Bearer t0ken']);
    seen.length = 0;
    await client.fetch(`http://alice:pw@${base.a}/same`);
    expect(hits('a').map((r) => r.authorization)).toEqual([auth, auth]);
  });

  test('once a redirect left the origin, coming back does not bring the credentials back', async () => {
    seen.length = 0;
    expect((await client.fetch(`http://alice:pw@${base.a}/away-and-back`)).body.toString()).toBe('from a');
    expect(seen.map((r) => [r.server, r.url, r.authorization])).toEqual([
      ['a', '/away-and-back', auth], ['b', '/back', undefined], ['a', '/file', undefined],
    ]);
  });

  test('user info a server puts in its Location is not used', async () => {
    seen.length = 0;
    await client.fetch(`http://${base.a}/with-userinfo`);
    expect(hits('b')).toEqual([{ server: 'b', url: '/file', authorization: undefined, token: undefined }]);
  });

  test('a failed download does not print the password', async () => {
    const err = await client.fetch(`http://alice:pw@${base.a}/missing`).catch((e: unknown) => e);
    const message = `cannot download http://${base.a}/missing: the server answered 404`;
    expect(err).toMatchObject({ code: 'FETCH_FAILED', message });
  });
});

describe('refused redirects', () => {
  test('https to http is refused before anything is sent to the http server', async () => {
    seen.length = 0;
    const err = await trusting().fetch(`https://alice:pw@${base.s}/down`).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'FETCH_FAILED',
      message: `cannot download https://${base.s}/down: the redirect from https://${base.s}/down `
        + `to http://${base.b}/file `
        + 'is refused: it would downgrade https to http',
      hint: expect.stringContaining('never from https to http'),
    });
    expect(hits('b')).toEqual([]);
    // A same-origin https redirect is followed.
    expect((await trusting().fetch(`https://${base.s}/same`)).body.toString()).toBe('from s');
  });

  test('a redirect to another scheme or to no URL at all is FETCH_FAILED', async () => {
    await expect(client.fetch(`http://${base.a}/to-file`)).rejects.toMatchObject({
      code: 'FETCH_FAILED',
      message: expect.stringContaining(`to file:///etc/passwd is refused: unsupported protocol file:`),
    });
    await expect(client.fetch(`http://${base.a}/bad-location`)).rejects.toMatchObject({
      code: 'FETCH_FAILED', message: expect.stringContaining('redirected to "http://[::1", not a URL'),
    });
  });
});

describe('TLS', () => {
  test('a certificate from a CA the client does not trust is TLS_FAILED naming the server and why', async () => {
    const wrongCa = nodeHttpClient({ timeoutMs: 5000, ca: certs.otherCa });
    await expect(wrongCa.fetch(`https://alice:pw@${base.s}/index.yaml`)).rejects.toMatchObject({
      code: 'TLS_FAILED',
      message: `cannot download https://${base.s}/index.yaml: `
        + `TLS with ${base.s} failed: unable to verify the first certificate`,
      hint: expect.stringContaining('NODE_EXTRA_CA_CERTS'),
    });
  });
});
