// Repository indexes and chart downloads through a real CONNECT proxy on 127.0.0.1 (HTTPS_PROXY, HTTP_PROXY), and
// direct when NO_PROXY matches or the host is loopback; kc's User-Agent reaches the proxy and the repository.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { downloadEntry, fetchIndex, selectVersion } from '../../../src/repo/client.js';
import { nodeHttpClient } from '../../../src/repo/index.js';
import { USER_AGENT } from '../../../src/net/user-agent.js';
import { startConnectProxy, type ConnectProxy } from '../../helpers/connect-proxy.js';
import { makeTestCerts, type TestCerts } from '../../helpers/test-certs.js';
import { loopbackHostsName } from '../../helpers/hosts-name.js';

// A name only the proxy "resolves" (it connects every tunnel to 127.0.0.1): kc never looks it up.
const NAMED = 'charts.kc-proxy.test';
// A name /etc/hosts maps to loopback (not localhost), to see NO_PROXY send kc direct.
const hostsName = loopbackHostsName();

const archive = crypto.randomBytes(2048);
const digest = crypto.createHash('sha256').update(archive).digest('hex');
const index = [
  'apiVersion: v1', 'entries:', '  demo:', '  - name: demo', '    version: 1.0.0', `    digest: ${digest}`,
  '    urls: [charts/demo-1.0.0.tgz]',
].join('\n');

const seen: { ua: string; path: string }[] = [];
const serve = (req: http.IncomingMessage, res: http.ServerResponse) => {
  seen.push({ ua: String(req.headers['user-agent']), path: req.url ?? '' });
  if (req.url === '/index.yaml') return res.end(index);
  if (req.url === '/charts/demo-1.0.0.tgz') return res.end(archive);
  const loopback = `https://127.0.0.1:${ports.secure}/index.yaml`;
  if (req.url === '/to-loopback') return res.writeHead(302, { location: loopback }).end();
  res.writeHead(404).end();
};

let certs: TestCerts;
let secure: https.Server;
let plain: http.Server;
let proxy: ConnectProxy;
const ports = { secure: 0, plain: 0 };

beforeAll(async () => {
  certs = makeTestCerts([NAMED, ...(hostsName ? [hostsName] : [])]);
  secure = https.createServer({ key: certs.key, cert: certs.cert }, serve);
  plain = http.createServer(serve);
  for (const [name, server] of [['secure', secure], ['plain', plain]] as const) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ports[name] = (server.address() as AddressInfo).port;
  }
  proxy = await startConnectProxy('repo-user:s3cret');
});

afterEach(() => {
  seen.length = 0;
  proxy.seen.length = 0;
});

afterAll(async () => {
  await proxy.close();
  secure.closeAllConnections();
  plain.closeAllConnections();
  await new Promise((r) => secure.close(r));
  await new Promise((r) => plain.close(r));
});

const proxyUrl = (auth = 'repo-user:s3cret') => `http://${auth}@127.0.0.1:${proxy.port}`;
const client = (env: NodeJS.ProcessEnv) => nodeHttpClient({ ca: certs.ca, env, timeoutMs: 5000 });

describe('the repository client through a CONNECT proxy', () => {
  test('HTTPS_PROXY: index and chart download through the tunnel, with credentials and the User-Agent', async () => {
    const http = client({ HTTPS_PROXY: proxyUrl() });
    const repo = `https://${NAMED}:${ports.secure}`;
    const { index: parsed } = await fetchIndex(http, repo);
    const bytes = await downloadEntry(http, selectVersion(parsed, 'demo', undefined, 'repo'), repo, 'repo');
    expect(bytes.equals(archive)).toBe(true);
    expect(proxy.seen.map((s) => s.target)).toEqual([`${NAMED}:${ports.secure}`, `${NAMED}:${ports.secure}`]);
    const basic = `Basic ${Buffer.from('repo-user:s3cret').toString('base64')}`;
    expect(proxy.seen.every((s) => s.headers['proxy-authorization'] === basic)).toBe(true);
    expect(proxy.seen.every((s) => s.headers['user-agent'] === USER_AGENT)).toBe(true);
    expect(seen).toEqual([{ ua: USER_AGENT, path: '/index.yaml' }, { ua: USER_AGENT, path: '/charts/demo-1.0.0.tgz' }]);
  });

  test('HTTP_PROXY (lower case too): an http:// repository via the proxy in absolute form, as Go does', async () => {
    const res = await client({ http_proxy: proxyUrl() }).fetch(`http://${NAMED}:${ports.plain}/index.yaml`);
    expect(res.body.toString()).toBe(index);
    expect(proxy.seen.map((s) => [s.target, s.forwarded])).toEqual([[`${NAMED}:${ports.plain}`, true]]);
    const basic = `Basic ${Buffer.from('repo-user:s3cret').toString('base64')}`;
    expect(proxy.seen[0].headers).toMatchObject({ 'proxy-authorization': basic, 'user-agent': USER_AGENT });
    expect(seen).toEqual([{ ua: USER_AGENT, path: '/index.yaml' }]);
  });

  test('http:// through a proxy refusing the credentials or down: FETCH_FAILED naming it', async () => {
    const url = `http://${NAMED}:${ports.plain}/index.yaml`;
    await expect(client({ HTTP_PROXY: proxyUrl('repo-user:wr0ng') }).fetch(url)).rejects.toMatchObject({
      code: 'FETCH_FAILED',
      message: `cannot download ${url}: the proxy ${proxy.url} answered 407 (proxy authentication required)`,
    });
    const dead = await startConnectProxy();
    await dead.close();
    await expect(client({ HTTP_PROXY: dead.url }).fetch(url)).rejects.toMatchObject({
      code: 'FETCH_FAILED', message: expect.stringContaining(`cannot connect to the proxy ${dead.url}: `),
    });
    expect(seen).toHaveLength(0);
  });

  test('a loopback repository never goes through the environment proxy', async () => {
    const env = { HTTPS_PROXY: proxyUrl(), HTTP_PROXY: proxyUrl() };
    await client(env).fetch(`https://127.0.0.1:${ports.secure}/index.yaml`);
    await client(env).fetch(`http://localhost:${ports.plain}/index.yaml`);
    expect(proxy.seen).toHaveLength(0);
    expect(seen.map((s) => s.ua)).toEqual([USER_AGENT, USER_AGENT]);
  });

  // Without such a name in /etc/hosts, `localhost` stands in: never proxied, with or without NO_PROXY.
  const name = hostsName ?? 'localhost';
  test(`NO_PROXY matching the repository sends kc direct (${name})`, async () => {
    const url = `https://${name}:${ports.secure}/index.yaml`;
    await client({ HTTPS_PROXY: proxyUrl(), NO_PROXY: `.example.com,${name}` }).fetch(url);
    expect(proxy.seen).toHaveLength(0);
    await client({ HTTPS_PROXY: proxyUrl(), NO_PROXY: '.example.com' }).fetch(url);
    expect(proxy.seen.map((s) => s.target)).toEqual(hostsName ? [`${name}:${ports.secure}`] : []);
    expect(seen).toHaveLength(2);
  });

  test('wrong proxy credentials: FETCH_FAILED naming the proxy and 407, never the password', async () => {
    const url = `https://${NAMED}:${ports.secure}/index.yaml`;
    const err = await client({ HTTPS_PROXY: proxyUrl('repo-user:wr0ng') }).fetch(url).then(
      () => ({ code: 'none', message: '' }),
      (e: unknown) => e as { code: string; message: string },
    );
    expect(err.code).toBe('FETCH_FAILED');
    expect(err.message).toBe(`cannot download ${url}: the proxy http://127.0.0.1:${proxy.port} answered 407 `
      + `(proxy authentication required) to CONNECT ${NAMED}:${ports.secure}`);
    expect(seen).toHaveLength(0);
  });

  test('through a proxy, a named host still may not redirect kc to this machine (host as written)', async () => {
    const url = `https://${NAMED}:${ports.secure}/to-loopback`;
    await expect(client({ HTTPS_PROXY: proxyUrl() }).fetch(url)).rejects.toMatchObject({
      code: 'FETCH_FAILED', message: expect.stringContaining('a public host may not send kc to a loopback address'),
    });
    expect(seen.map((s) => s.path)).toEqual(['/to-loopback']);
  });

  test('a socks5 proxy is USAGE "not supported yet"', async () => {
    const err = client({ HTTPS_PROXY: 'socks5://127.0.0.1:1080' }).fetch(`https://${NAMED}/index.yaml`);
    await expect(err).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('not supported yet') });
  });
});
