// The registry transport against fake servers on 127.0.0.1: statuses returned, bodies bounded and complete, time
// bounded, redirects followed only when asked, bounded, and without the Authorization header on another origin.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { isKcError, type KcError } from '../../../src/errors/index.js';
import { ociTransport, type OciRequest } from '../../../src/oci/transport.js';
import { startFakeHttp, type FakeServer } from '../../helpers/fake-http.js';

let registry: FakeServer;
let storage: FakeServer;

beforeAll(async () => {
  storage = await startFakeHttp((req, res) => {
    if (req.url === '/back') return void res.writeHead(302, { location: `http://${registry.host}/blob` }).end();
    res.end('from storage');
  });
  registry = await startFakeHttp((req, res) => {
    const routes: Record<string, () => void> = {
      '/blob': () => res.end('the blob'),
      '/to-storage': () => res.writeHead(307, { location: `http://${storage.host}/object?sig=1` }).end(),
      '/away-and-back': () => res.writeHead(307, { location: `http://${storage.host}/back` }).end(),
      '/same-origin': () => res.writeHead(302, { location: '/blob' }).end(),
      '/loop': () => res.writeHead(302, { location: '/loop' }).end(),
      '/to-file': () => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
      '/missing': () => res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[]}'),
      '/big-declared': () => res.writeHead(200, { 'content-length': '2048' }).end(Buffer.alloc(2048)),
      '/big-chunked': () => {
        res.writeHead(200);
        for (let i = 0; i < 4; i++) res.write(Buffer.alloc(512));
        res.end();
      },
      '/truncated': () => {
        res.writeHead(200, { 'content-length': '100' });
        res.write('only ten b');
        setTimeout(() => res.socket?.destroy(), 20);
      },
      '/stall': () => undefined,
      '/echo': () =>
        res.end(
          JSON.stringify({ method: req.method, body: req.body.toString(), length: req.headers['content-length'] }),
        ),
    };
    (routes[req.url] ?? (() => res.writeHead(500).end()))();
  });
});

afterAll(async () => {
  await registry.close();
  await storage.close();
});

const transport = (timeoutMs = 5000) =>
  ociTransport(registry.host, { plainHttp: true }, {}, { timeoutMs, maxRedirects: 5 });
const get = (path: string, extra: Partial<OciRequest> = {}): OciRequest => ({
  method: 'GET',
  url: new URL(`http://${registry.host}${path}`),
  maxBytes: 1024,
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<KcError> {
  try {
    await promise;
  } catch (err) {
    if (isKcError(err)) return err;
    throw err;
  }
  throw new Error('expected a KcError');
}

describe('responses', () => {
  test('a non-2xx status is returned, not thrown; a body and its length are sent', async () => {
    const t = transport();
    expect((await t.send(get('/missing'))).status).toBe(404);
    const echo = await t.send(get('/echo', { method: 'PUT', body: Buffer.from('payload') }));
    expect(JSON.parse(echo.body.toString())).toEqual({ method: 'PUT', body: 'payload', length: '7' });
  });

  test('a body over the limit is ARCHIVE_UNSAFE, declared or not', async () => {
    const t = transport();
    const declared = await failure(t.send(get('/big-declared', { what: 'the blob x' })));
    expect(declared.code).toBe('ARCHIVE_UNSAFE');
    expect(declared.message).toContain('the blob x is 2 KiB, more than the 1 KiB');
    expect((await failure(t.send(get('/big-chunked')))).code).toBe('ARCHIVE_UNSAFE');
  });

  test('a truncated body is FETCH_FAILED, never success', async () => {
    const err = await failure(transport().send(get('/truncated')));
    expect(err.code).toBe('FETCH_FAILED');
    expect(err.message).toContain('closed before the response was complete');
  });

  test('no answer in time is FETCH_FAILED naming the time', async () => {
    const err = await failure(transport(300).send(get('/stall')));
    expect(err.code).toBe('FETCH_FAILED');
    expect(err.message).toContain('0.3 s');
  });

  test('a closed port is FETCH_FAILED naming the registry, with a hint about --plain-http', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as net.AddressInfo;
        s.close(() => resolve(p));
      });
    });
    const host = `127.0.0.1:${port}`;
    const t = ociTransport(host, { plainHttp: true }, {});
    const err = await failure(t.send({ method: 'GET', url: new URL(`http://${host}/v2/`), maxBytes: 10 }));
    expect(err.code).toBe('FETCH_FAILED');
    expect(err.message).toContain(`the registry ${host}`);
    expect(err.hint).toContain('--plain-http');
  });
});

describe('redirects', () => {
  test('not followed unless asked', async () => {
    expect((await transport().send(get('/to-storage'))).status).toBe(307);
  });

  test('to storage on another origin: followed, without the Authorization header', async () => {
    const before = storage.requests.length;
    const res = await transport().send(
      get('/to-storage', { followRedirects: true, headers: { authorization: 'Bearer SECRET' } }),
    );
    expect(res.body.toString()).toBe('from storage');
    expect(res.url.host).toBe(storage.host);
    const seen = storage.requests.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(registry.requests.at(-1)?.headers.authorization).toBe('Bearer SECRET');
  });

  test('same origin keeps it; once it left the origin, coming back does not bring it back', async () => {
    const same = await transport().send(
      get('/same-origin', { followRedirects: true, headers: { authorization: 'Basic X' } }),
    );
    expect(same.body.toString()).toBe('the blob');
    expect(registry.requests.at(-1)?.headers.authorization).toBe('Basic X');
    await transport().send(get('/away-and-back', { followRedirects: true, headers: { authorization: 'Basic X' } }));
    expect(registry.requests.at(-1)?.url).toBe('/blob');
    expect(registry.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  test('a loop stops after 5 redirects; a file: target is refused', async () => {
    const before = registry.requests.length;
    const loop = await failure(transport().send(get('/loop', { followRedirects: true })));
    expect(loop.code).toBe('FETCH_FAILED');
    expect(loop.message).toContain('more than 5 redirects');
    expect(registry.requests.length - before).toBe(6);
    const file = await failure(transport().send(get('/to-file', { followRedirects: true })));
    expect(file.message).toContain('unsupported protocol file:');
  });
});
