// The transport through a real CONNECT proxy on 127.0.0.1, in front of loopback https API servers: a kubeconfig
// proxy-url is used for every host (loopback too), HTTPS_PROXY for other hosts unless NO_PROXY matches, and kc names
// itself with its User-Agent to the proxy and the server. Proxy credentials are sent, never printed.
import fs from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { ClusterConnection } from '../../../src/kube/kubeconfig.js';
import { createTransport } from '../../../src/kube/transport.js';
import { USER_AGENT } from '../../../src/net/user-agent.js';
import { startConnectProxy, type ConnectProxy } from '../../helpers/connect-proxy.js';
import { makeTestCerts, type TestCerts } from '../../helpers/test-certs.js';

// A name the proxy maps to 127.0.0.1: kc never resolves it when it goes through the proxy.
const NAMED = 'api.kc-proxy.test';
// A name only this test resolves (to 127.0.0.1, through the connection's lookup), to see NO_PROXY send kc direct.
const DIRECT = 'direct.kc-proxy.test';
const toLoopback: LookupFunction = (_host, options, callback) => {
  if ((options as { all?: boolean }).all)
    return (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
      { address: '127.0.0.1', family: 4 },
    ]);
  (callback as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4);
};

interface Seen {
  version: string;
  ua: string;
  path: string;
}
const seen: Seen[] = [];
type Req = http2.Http2ServerRequest | import('node:http').IncomingMessage;
type Res = http2.Http2ServerResponse | import('node:http').ServerResponse;
const handler = (req: Req, res: Res) => {
  seen.push({ version: req.httpVersion, ua: String(req.headers['user-agent']), path: req.url ?? '' });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', status: 'Success' }));
};

let certs: TestCerts;
let h2Server: http2.Http2SecureServer;
let h1Server: https.Server;
let proxy: ConnectProxy;
let authProxy: ConnectProxy;
const ports = { h2: 0, h1: 0 };
const savedEnv = { ...process.env };

beforeAll(async () => {
  certs = makeTestCerts([NAMED, DIRECT]);
  h2Server = http2.createSecureServer({ key: certs.key, cert: certs.cert, allowHTTP1: true }, handler);
  h1Server = https.createServer({ key: certs.key, cert: certs.cert }, handler); // no h2 in ALPN
  for (const [name, server] of [
    ['h2', h2Server],
    ['h1', h1Server],
  ] as const) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ports[name] = (server.address() as AddressInfo).port;
  }
  proxy = await startConnectProxy();
  authProxy = await startConnectProxy('kc-user:p@ss w0rd');
});

afterEach(() => {
  for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  seen.length = 0;
  proxy.seen.length = 0;
  authProxy.seen.length = 0;
});

afterAll(async () => {
  await proxy.close();
  await authProxy.close();
  await new Promise((r) => h2Server.close(r));
  await new Promise((r) => h1Server.close(r));
});

const conn = (server: string, proxyUrl?: string): ClusterConnection => ({
  server,
  context: 'test',
  namespace: 'default',
  requestOptions: { ca: certs.ca, headers: {} },
  proxyUrl,
});

/** One GET through a new transport (bounded: 5 s per attempt, no retries), closed afterwards. */
async function get(c: ClusterConnection, http2 = true) {
  const t = createTransport(c, { timeoutMs: 5000, connectTimeoutMs: 3000, http2, retry: { attempts: 1 } });
  try {
    return await t.request({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/x' });
  } finally {
    t.close();
  }
}

describe('the cluster transport through a CONNECT proxy', () => {
  test('proxy-url: HTTP/2 through the tunnel to loopback, Proxy-Authorization, User-Agent at both', async () => {
    const server = `https://127.0.0.1:${ports.h2}`;
    const res = await get(conn(server, `http://kc-user:p%40ss%20w0rd@127.0.0.1:${authProxy.port}`));
    expect(res.status).toBe(200);
    expect(authProxy.seen).toHaveLength(1);
    expect(authProxy.seen[0].target).toBe(`127.0.0.1:${ports.h2}`);
    const basic = `Basic ${Buffer.from('kc-user:p@ss w0rd').toString('base64')}`;
    expect(authProxy.seen[0].headers['proxy-authorization']).toBe(basic);
    expect(authProxy.seen[0].headers['user-agent']).toBe(USER_AGENT);
    expect(seen).toEqual([{ version: '2.0', ua: USER_AGENT, path: '/api/v1/namespaces/default/configmaps/x' }]);
    expect(USER_AGENT).toMatch(/^kc\/\S+ \(\S+\/\S+\) node\/\S+$/);
  });

  test('a tunnel the proxy cuts ends the HTTP/2 session: the next request opens another through it', async () => {
    const c = conn(`https://127.0.0.1:${ports.h2}`, proxy.url);
    const t = createTransport(c, { timeoutMs: 5000, connectTimeoutMs: 3000 });
    try {
      const req = { method: 'GET' as const, path: '/api/v1/namespaces/default/configmaps/x' };
      expect((await t.request(req)).status).toBe(200);
      proxy.cutAll();
      await new Promise((r) => setTimeout(r, 50));
      expect((await t.request(req)).status).toBe(200);
    } finally {
      t.close();
    }
    expect(proxy.seen.map((s) => s.target)).toEqual([`127.0.0.1:${ports.h2}`, `127.0.0.1:${ports.h2}`]);
    expect(seen.map((s) => s.version)).toEqual(['2.0', '2.0']);
  });

  test('proxy-url with a server that offers only HTTP/1.1: the fallback goes through the proxy too', async () => {
    const res = await get(conn(`https://127.0.0.1:${ports.h1}`, proxy.url));
    expect(res.status).toBe(200);
    expect(proxy.seen.map((s) => s.target)).toEqual([`127.0.0.1:${ports.h1}`, `127.0.0.1:${ports.h1}`]);
    expect(seen).toEqual([{ version: '1.1', ua: USER_AGENT, path: '/api/v1/namespaces/default/configmaps/x' }]);
  });

  test('HTTP/1.1 (http2: false) through proxy-url, with the User-Agent', async () => {
    expect((await get(conn(`https://127.0.0.1:${ports.h2}`, proxy.url), false)).status).toBe(200);
    expect(proxy.seen.map((s) => s.target)).toEqual([`127.0.0.1:${ports.h2}`]);
    expect(seen).toEqual([{ version: '1.1', ua: USER_AGENT, path: '/api/v1/namespaces/default/configmaps/x' }]);
  });

  test('HTTPS_PROXY is used for a named server, which only the proxy resolves', async () => {
    process.env.HTTPS_PROXY = proxy.url;
    expect((await get(conn(`https://${NAMED}:${ports.h2}`))).status).toBe(200);
    expect(proxy.seen.map((s) => s.target)).toEqual([`${NAMED}:${ports.h2}`]);
    expect(seen.map((s) => [s.version, s.ua])).toEqual([['2.0', USER_AGENT]]);
  });

  test('https_proxy (lower case) too', async () => {
    process.env.https_proxy = proxy.url;
    expect((await get(conn(`https://${NAMED}:${ports.h2}`))).status).toBe(200);
    expect(proxy.seen).toHaveLength(1);
  });

  test('HTTPS_PROXY is never used for a loopback server (Go: localhost and loopback IPs go direct)', async () => {
    process.env.HTTPS_PROXY = proxy.url;
    expect((await get(conn(`https://127.0.0.1:${ports.h2}`))).status).toBe(200);
    expect(proxy.seen).toHaveLength(0);
    expect(seen).toHaveLength(1);
  });

  test.each([[true], [false]])('NO_PROXY matching the server sends kc direct (HTTP/2: %s)', async (h2) => {
    process.env.HTTPS_PROXY = proxy.url;
    process.env.NO_PROXY = `example.com,${DIRECT}`;
    const direct = (): ClusterConnection => {
      const c = conn(`https://${DIRECT}:${h2 ? ports.h2 : ports.h1}`);
      return { ...c, requestOptions: { ...c.requestOptions, lookup: toLoopback } };
    };
    expect((await get(direct(), h2)).status).toBe(200);
    expect(proxy.seen).toHaveLength(0);
    expect(seen).toHaveLength(1);
    // Without the NO_PROXY entry the same server is reached through the proxy (which resolves the name itself).
    process.env.NO_PROXY = 'example.com';
    expect((await get(direct(), h2)).status).toBe(200);
    expect(proxy.seen.map((s) => s.target)).toEqual([`${DIRECT}:${h2 ? ports.h2 : ports.h1}`]);
  });

  test('a proxy refusing the credentials: CLUSTER_UNREACHABLE naming it and 407, never the password', async () => {
    const wrong = `http://kc-user:wr0ng-s3cret@127.0.0.1:${authProxy.port}`;
    const err = await get(conn(`https://127.0.0.1:${ports.h2}`, wrong)).then(
      () => ({ code: 'none', message: '', hint: '' }),
      (e: unknown) => e as { code: string; message: string; hint: string },
    );
    expect(err).toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    const refusal = `the proxy http://127.0.0.1:${authProxy.port} answered 407 (proxy authentication required)`;
    expect(err.message).toContain(refusal);
    expect(err.hint).toMatch(/proxy/);
    expect(`${err.message} ${err.hint}`).not.toMatch(/wr0ng-s3cret|kc-user/);
    expect(seen).toHaveLength(0);
  });

  test('a proxy that is down: CLUSTER_UNREACHABLE naming it, over HTTP/2 and HTTP/1.1', async () => {
    const dead = await startConnectProxy();
    await dead.close();
    for (const h2 of [true, false]) {
      const err = await get(conn(`https://127.0.0.1:${ports.h2}`, dead.url), h2).catch((e: unknown) => e);
      const message = expect.stringContaining(`cannot connect to the proxy ${dead.url}`);
      expect(err).toMatchObject({ code: 'CLUSTER_UNREACHABLE', message });
    }
    expect(seen).toHaveLength(0);
  });

  test('a proxy that cannot reach the server (tunnel cut): CLUSTER_UNREACHABLE, not a lost answer', async () => {
    const closed = await startConnectProxy();
    await closed.close(); // a free port: the proxy's upstream connection is refused, and it drops the client
    for (const h2 of [true, false]) {
      const err = await get(conn(`https://127.0.0.1:${closed.port}`, proxy.url), h2).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CLUSTER_UNREACHABLE', message: expect.stringContaining(proxy.url) });
    }
  });

  test('a proxy that never answers CONNECT: the request fails within the connect timeout', async () => {
    const silent = net.createServer((s) => s.on('error', () => undefined));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const started = Date.now();
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const t = createTransport(conn(`https://127.0.0.1:${ports.h2}`, url), { timeoutMs: 5000, connectTimeoutMs: 300 });
    const err = await t.request({ method: 'GET', path: '/api' }).catch((e: unknown) => e);
    t.close();
    silent.close();
    expect(err).toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('a socks5 HTTPS_PROXY is USAGE "not supported yet", nothing is sent', async () => {
    process.env.HTTPS_PROXY = 'socks5://u:secret@127.0.0.1:1080';
    const err = await get(conn(`https://${NAMED}:${ports.h2}`)).catch((e: unknown) => e as Error);
    const message = 'HTTPS_PROXY: socks5 proxies are not supported yet (socks5://127.0.0.1:1080)';
    expect(err).toMatchObject({ code: 'USAGE', message });
    expect(seen).toHaveLength(0);
  });
});
