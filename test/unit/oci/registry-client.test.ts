// The registry client against a scripted fake registry on 127.0.0.1: digests checked, size limits, statuses mapped
// to codes (401/403/404/5xx, garbage), the token flow and its cache, uploads, and bounded tag pagination.
import crypto from 'node:crypto';
import type http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { isKcError, type KcError } from '../../../src/errors/index.js';
import { checkLogin, registryClient } from '../../../src/oci/registry-client.js';
import type { CredentialStore, RegistryCredentials } from '../../../src/oci/types.js';
import { startFakeHttp, type FakeServer, type SeenRequest } from '../../helpers/fake-http.js';

const sha = (b: Buffer | string) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;
const MANIFEST = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}');
const BLOB = Buffer.from('blob bytes');
const PASSWORD = 's3cret-pass';

type Handler = (req: SeenRequest, res: http.ServerResponse) => void;
let handler: Handler;
let server: FakeServer;
let host: string;

beforeAll(async () => {
  server = await startFakeHttp((req, res) => handler(req, res));
  host = server.host;
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

const none: CredentialStore = { get: async () => undefined };
const store = (creds: RegistryCredentials): CredentialStore => ({ get: async (r) => (r === host ? creds : undefined) });
const client = (
  credentials: CredentialStore = none,
  extra: Parameters<typeof registryClient>[0]['limits'] = {},
  now?: () => number,
) => registryClient({ connection: { plainHttp: true }, credentials, env: {}, limits: extra, now });
const repo = () => ({ registry: host, repository: 'charts/app' });

async function failure(promise: Promise<unknown>): Promise<KcError> {
  try {
    await promise;
  } catch (err) {
    if (isKcError(err)) return err;
    throw err;
  }
  throw new Error('expected a KcError');
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

describe('manifests', () => {
  test('by tag: bytes, digest and media type; the Accept header lists OCI and Docker types', async () => {
    handler = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(MANIFEST);
    const got = await client().getManifest(repo(), '1.0.0');
    expect(got).toEqual({
      bytes: MANIFEST,
      digest: sha(MANIFEST),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
    });
    expect(server.requests[0].url).toBe('/v2/charts/app/manifests/1.0.0');
    expect(server.requests[0].headers.accept).toContain('application/vnd.oci.image.index.v1+json');
    expect(server.requests[0].headers.accept).toContain('application/vnd.docker.distribution.manifest.v2+json');
  });

  test('by digest: other bytes are INTEGRITY_MISMATCH; so is a Docker-Content-Digest that differs', async () => {
    handler = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(MANIFEST);
    const other = sha('other');
    expect((await failure(client().getManifest(repo(), other))).code).toBe('INTEGRITY_MISMATCH');
    handler = (_req, res) =>
      res
        .writeHead(200, {
          'content-type': 'application/vnd.oci.image.manifest.v1+json',
          'docker-content-digest': other,
        })
        .end(MANIFEST);
    expect((await failure(client().getManifest(repo(), '1.0.0'))).code).toBe('INTEGRITY_MISMATCH');
  });

  test("404 is undefined; 500 is FETCH_FAILED with the registry's error; garbage is RESPONSE_INVALID", async () => {
    handler = (_req, res) => json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
    expect(await client().getManifest(repo(), '1.0.0')).toBeUndefined();
    handler = (_req, res) => json(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'down for maintenance' }] });
    const down = await failure(client().getManifest(repo(), '1.0.0'));
    expect(down.code).toBe('FETCH_FAILED');
    expect(down.message).toContain('HTTP 503: UNAVAILABLE: down for maintenance');
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    expect((await client().getManifest(repo(), '1.0.0'))?.mediaType).toBe('text/html');
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('<html>');
    expect((await failure(client().getManifest(repo(), '1.0.0'))).code).toBe('RESPONSE_INVALID');
  });

  test('a manifest over 4 MiB is refused; a reference that is no tag or digest is USAGE, nothing sent', async () => {
    handler = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.alloc(4 * 1024 * 1024 + 1, 32));
    expect((await failure(client().getManifest(repo(), '1.0.0'))).code).toBe('ARCHIVE_UNSAFE');
    server.requests.length = 0;
    expect((await failure(client().getManifest(repo(), '../x'))).code).toBe('USAGE');
    expect(server.requests).toHaveLength(0);
  });

  test('putManifest sends the bytes with their media type and returns their digest', async () => {
    handler = (req, res) => res.writeHead(201, { 'docker-content-digest': sha(req.body) }).end();
    expect(await client().putManifest(repo(), '1.0.0', MANIFEST, 'application/x-test')).toBe(sha(MANIFEST));
    expect(server.requests[0]).toMatchObject({ method: 'PUT', url: '/v2/charts/app/manifests/1.0.0' });
    expect(server.requests[0].headers['content-type']).toBe('application/x-test');
    expect(server.requests[0].body.equals(MANIFEST)).toBe(true);
  });
});

describe('blobs', () => {
  test('getBlob checks the digest and the limit; 404 is CHART_NOT_FOUND', async () => {
    handler = (_req, res) => res.end(BLOB);
    expect((await client().getBlob(repo(), sha(BLOB), 1024)).equals(BLOB)).toBe(true);
    expect((await failure(client().getBlob(repo(), sha('else'), 1024))).code).toBe('INTEGRITY_MISMATCH');
    expect((await failure(client().getBlob(repo(), sha(BLOB), 4))).code).toBe('ARCHIVE_UNSAFE');
    handler = (_req, res) => json(res, 404, { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown' }] });
    expect((await failure(client().getBlob(repo(), sha(BLOB), 1024))).code).toBe('CHART_NOT_FOUND');
  });

  test('pushBlob: skipped when the registry has it', async () => {
    handler = (_req, res) => res.writeHead(200).end();
    const d = await client().pushBlob(repo(), BLOB, 'application/x-test');
    expect(d).toEqual({ mediaType: 'application/x-test', digest: sha(BLOB), size: BLOB.length });
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD']);
  });

  test.each([
    ['a relative Location with its own query', '/v2/charts/app/blobs/uploads/u1?_state=abc'],
    ['an absolute Location', 'ABSOLUTE'],
  ])('pushBlob: POST then a monolithic PUT ?digest= to %s', async (_name, location) => {
    handler = (req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(404).end();
      if (req.method === 'POST') {
        const where = location === 'ABSOLUTE' ? `http://${host}/upload/u2` : location;
        return void res.writeHead(202, { location: where }).end();
      }
      res.writeHead(201, { 'docker-content-digest': sha(req.body) }).end();
    };
    await client().pushBlob(repo(), BLOB, 'application/x-test');
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'POST', 'PUT']);
    expect(server.requests[1].url).toBe('/v2/charts/app/blobs/uploads/');
    const put = new URL(server.requests[2].url, `http://${host}`);
    expect(put.searchParams.get('digest')).toBe(sha(BLOB));
    if (location !== 'ABSOLUTE') expect(put.searchParams.get('_state')).toBe('abc');
    expect(server.requests[2].body.equals(BLOB)).toBe(true);
  });

  test('an upload without a Location is RESPONSE_INVALID', async () => {
    handler = (req, res) => res.writeHead(req.method === 'HEAD' ? 404 : 202).end();
    expect((await failure(client().pushBlob(repo(), BLOB, 'x/y'))).code).toBe('RESPONSE_INVALID');
  });
});

describe('tags', () => {
  test('pages are followed by Link rel=next', async () => {
    handler = (req, res) => {
      const last = new URL(req.url, 'http://x').searchParams.get('last');
      if (!last)
        return json(
          res,
          200,
          { name: 'charts/app', tags: ['1.0.0'] },
          { link: '</v2/charts/app/tags/list?last=1.0.0&n=1>; rel="next"' },
        );
      json(res, 200, { name: 'charts/app', tags: ['2.0.0'] });
    };
    expect(await client().listTags(repo())).toEqual(['1.0.0', '2.0.0']);
  });

  test('an endless next link stops at the page bound; a next link to another host is refused', async () => {
    handler = (_req, res) => json(res, 200, { tags: ['x'] }, { link: '</v2/charts/app/tags/list?last=x>; rel="next"' });
    const endless = await failure(client(none, { maxTagPages: 3 }).listTags(repo()));
    expect(endless.code).toBe('FETCH_FAILED');
    expect(server.requests).toHaveLength(3);
    handler = (_req, res) =>
      json(res, 200, { tags: ['x'] }, { link: '<http://example.com/v2/x/tags/list>; rel="next"' });
    expect((await failure(client().listTags(repo()))).code).toBe('RESPONSE_INVALID');
  });

  test('null tags are none; garbage is RESPONSE_INVALID; a missing repository is CHART_NOT_FOUND', async () => {
    handler = (_req, res) => json(res, 200, { name: 'charts/app', tags: null });
    expect(await client().listTags(repo())).toEqual([]);
    handler = (_req, res) => res.end('not json');
    expect((await failure(client().listTags(repo()))).code).toBe('RESPONSE_INVALID');
    handler = (_req, res) => json(res, 200, { tags: [1, 2] });
    expect((await failure(client().listTags(repo()))).code).toBe('RESPONSE_INVALID');
    handler = (_req, res) =>
      json(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known' }] });
    expect((await failure(client().listTags(repo()))).code).toBe('CHART_NOT_FOUND');
  });
});

describe('authentication', () => {
  /** A registry that wants a Bearer token from its own /token realm; the token server checks Basic credentials. */
  function tokenRegistry(token = 'tok-123', expiresIn = 300): void {
    handler = (req, res) => {
      const url = new URL(req.url, `http://${host}`);
      if (url.pathname === '/token') {
        const auth = req.headers.authorization;
        const form = new URLSearchParams(req.body.toString());
        const okBasic = auth === `Basic ${Buffer.from(`kc:${PASSWORD}`).toString('base64')}`;
        const okRefresh = req.method === 'POST' && form.get('refresh_token') === 'refresh-abc';
        if (!okBasic && !okRefresh) return json(res, 401, { details: 'bad credentials' });
        return json(
          res,
          200,
          req.method === 'POST' ? { access_token: token, expires_in: expiresIn } : { token, expires_in: expiresIn },
        );
      }
      if (req.headers.authorization !== `Bearer ${token}`) {
        const challenge = `Bearer realm="http://${host}/token",service="fake",scope="repository:charts/app:pull"`;
        return json(res, 401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'www-authenticate': challenge });
      }
      json(res, 200, { tags: ['1.0.0'] });
    };
  }

  test('Basic credentials get a token for the scope, which is cached for its lifetime', async () => {
    tokenRegistry();
    let now = 1_000_000;
    const c = client(store({ kind: 'basic', username: 'kc', password: PASSWORD }), {}, () => now);
    expect(await c.listTags(repo())).toEqual(['1.0.0']);
    const tokenCall = server.requests.find((r) => r.url.startsWith('/token'))!;
    const query = new URL(tokenCall.url, 'http://x').searchParams;
    expect(query.get('service')).toBe('fake');
    expect(query.get('scope')).toBe('repository:charts/app:pull');
    await c.listTags(repo());
    expect(server.requests.filter((r) => r.url.startsWith('/token'))).toHaveLength(1);
    now += 301_000;
    await c.listTags(repo());
    expect(server.requests.filter((r) => r.url.startsWith('/token'))).toHaveLength(2);
  });

  test('an identity token is exchanged by POSTing the refresh_token grant', async () => {
    tokenRegistry('tok-from-refresh');
    expect(await client(store({ kind: 'identity-token', token: 'refresh-abc' })).listTags(repo())).toEqual(['1.0.0']);
    const post = server.requests.find((r) => r.method === 'POST')!;
    const form = new URLSearchParams(post.body.toString());
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('service')).toBe('fake');
    expect(form.get('scope')).toBe('repository:charts/app:pull');
  });

  test('wrong or missing credentials are REGISTRY_AUTH_FAILED naming the login command, never the secret', async () => {
    tokenRegistry();
    const wrong = await failure(
      client(store({ kind: 'basic', username: 'kc', password: 'wrong-pass' })).listTags(repo()),
    );
    expect(wrong.code).toBe('REGISTRY_AUTH_FAILED');
    expect(wrong.hint).toContain(`kc registry login ${host}`);
    expect(`${wrong.message}${wrong.hint}`).not.toContain('wrong-pass');
    // The token server lets anyone in, the registry still refuses its token: 401 after auth, retried once only.
    server.requests.length = 0;
    handler = (req, res) => {
      if (req.url.startsWith('/token')) return json(res, 200, { token: 'useless-token' });
      json(res, 401, {}, { 'www-authenticate': `Bearer realm="http://${host}/token",service="fake"` });
    };
    const refused = await failure(client().listTags(repo()));
    expect(refused.code).toBe('REGISTRY_AUTH_FAILED');
    expect(refused.message).not.toContain('useless-token');
    expect(server.requests.filter((r) => !r.url.startsWith('/token'))).toHaveLength(2);
  });

  test('403 is REGISTRY_AUTH_FAILED: access denied, push needs push rights', async () => {
    handler = (_req, res) => json(res, 403, { errors: [{ code: 'DENIED' }] });
    const err = await failure(client().pushBlob(repo(), BLOB, 'x/y'));
    expect(err.code).toBe('REGISTRY_AUTH_FAILED');
    expect(err.message).toContain('denied access to the repository charts/app');
    expect(err.hint).toContain('push rights');
  });

  test('Basic challenge answered with Basic credentials; a garbage token response is RESPONSE_INVALID', async () => {
    const basic = `Basic ${Buffer.from(`kc:${PASSWORD}`).toString('base64')}`;
    handler = (req, res) => {
      if (req.headers.authorization !== basic) return json(res, 401, {}, { 'www-authenticate': 'Basic realm="fake"' });
      json(res, 200, { tags: [] });
    };
    expect(await client(store({ kind: 'basic', username: 'kc', password: PASSWORD })).listTags(repo())).toEqual([]);
    await checkLogin({ plainHttp: true }, host, store({ kind: 'basic', username: 'kc', password: PASSWORD }), {});
    handler = (req, res) => {
      if (req.url.startsWith('/token')) return void res.end('{"token": 42}');
      json(res, 401, {}, { 'www-authenticate': `Bearer realm="http://${host}/token"` });
    };
    expect((await failure(client().listTags(repo()))).code).toBe('RESPONSE_INVALID');
  });
});

describe('referrers (OCI 1.1)', () => {
  const subject = sha('subject');

  test('the referrers index of a digest, asked for as an OCI index', async () => {
    const index = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}');
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' }).end(index);
    const got = await client().getReferrers!(repo(), subject);
    expect(got).toEqual({ bytes: index, digest: sha(index), mediaType: 'application/vnd.oci.image.index.v1+json' });
    expect(server.requests[0].url).toBe(`/v2/charts/app/referrers/${subject}`);
    expect(server.requests[0].headers.accept).toBe('application/vnd.oci.image.index.v1+json');
  });

  test.each([404, 400, 405])('%i: the registry has no referrers API (undefined: the fallback tag is read)', async (status) => {
    handler = (_req, res) => json(res, status, { errors: [{ code: 'UNSUPPORTED' }] });
    expect(await client().getReferrers!(repo(), subject)).toBeUndefined();
  });

  test('a server error is an error, not "no signatures"', async () => {
    handler = (_req, res) => json(res, 500, { errors: [{ code: 'UNKNOWN', message: 'boom' }] });
    expect((await failure(client().getReferrers!(repo(), subject))).code).toBe('FETCH_FAILED');
  });
});
