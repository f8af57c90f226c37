// The real-registry test helper and the registry script, proven with real HTTP requests against real distribution
// registries on 127.0.0.1 (anonymous, htpasswd, token, TLS), and the real oras and cosign binaries built by
// test/registry/registry.sh.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startRegistry, toolPath, type TestRegistry } from '../helpers/oci-registry.js';
import { repoRoot } from '../helpers/run-cli.js';

const run = promisify(execFile);
const sha256 = (data: Buffer | string) => `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

const started: TestRegistry[] = [];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-oci-helper-'));
afterAll(async () => {
  await Promise.all(started.map((r) => r.stop()));
  fs.rmSync(scratch, { recursive: true, force: true });
});
const start = async (options: Parameters<typeof startRegistry>[0]) => {
  const registry = await startRegistry(options);
  started.push(registry);
  return registry;
};

/** Pushes one blob (monolithic upload: POST then PUT) and returns its digest. */
async function pushBlob(url: string, repo: string, data: Buffer, headers: Record<string, string> = {}) {
  const digest = sha256(data);
  const post = await fetch(`${url}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers });
  expect(post.status).toBe(202);
  const location = new URL(post.headers.get('location')!, url);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: data,
  });
  expect(put.status).toBe(201);
  expect(put.headers.get('docker-content-digest')).toBe(digest);
  return digest;
}

/** An OCI 1.1 artifact manifest with the empty config and one layer. */
function artifactManifest(layer: Buffer, layerDigest: string) {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.kc.test.v1',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256('{}'), size: 2 },
      layers: [{ mediaType: 'application/vnd.kc.test.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
    }),
  );
}

/** Parses `Bearer realm="…",service="…",scope="…"` into its parameters. */
function challenge(header: string | null) {
  expect(header).toMatch(/^Bearer /);
  return Object.fromEntries([...header!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/** A GET over HTTPS with (or without) a CA, no keep-alive; resolves the status or rejects with the TLS error. */
function httpsGet(url: string, ca?: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = https.get(url, { ca, agent: false, timeout: 5000, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/** Whether a process has ended: no such pid, or a zombie its new parent has not reaped yet (the script detaches it). */
const gone = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
};

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

describe('startRegistry, anonymous', () => {
  it('stores a pushed blob and artifact manifest byte for byte (in-memory storage)', async () => {
    const r = await start({});
    expect(r.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(r.url).toBe(`http://${r.host}`);
    expect((await fetch(`${r.url}/v2/`)).status).toBe(200);

    const layer = crypto.randomBytes(4096);
    const layerDigest = await pushBlob(r.url, 'charts/app', layer);
    await pushBlob(r.url, 'charts/app', Buffer.from('{}'));
    const manifest = artifactManifest(layer, layerDigest);
    const put = await fetch(`${r.url}/v2/charts/app/manifests/1.0.0`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: manifest,
    });
    expect(put.status).toBe(201);
    expect(put.headers.get('docker-content-digest')).toBe(sha256(manifest));

    const got = await fetch(`${r.url}/v2/charts/app/manifests/1.0.0`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(manifest);
    const blob = await fetch(`${r.url}/v2/charts/app/blobs/${layerDigest}`);
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(layer);
    const tags = await (await fetch(`${r.url}/v2/charts/app/tags/list`)).json();
    expect(tags).toEqual({ name: 'charts/app', tags: ['1.0.0'] });
    // delete is enabled
    const del = await fetch(`${r.url}/v2/charts/app/manifests/${sha256(manifest)}`, { method: 'DELETE' });
    expect(del.status).toBe(202);
  });

  it('keeps filesystem storage in a temp dir; stop() ends the process, frees the port, removes the dir', async () => {
    const r = await startRegistry({ storage: 'filesystem' });
    try {
      await pushBlob(r.url, 'fs/app', Buffer.from('hello'));
      expect(fs.readdirSync(path.join(r.storageDir!, 'docker/registry/v2/blobs/sha256')).length).toBe(1);
    } finally {
      await r.stop();
    }
    expect(() => process.kill(r.pid, 0)).toThrow();
    expect(await refused(Number(r.host.split(':')[1]))).toBe(true);
    expect(fs.existsSync(r.storageDir!)).toBe(false);
    await r.stop(); // a second stop is harmless
  });
});

describe('startRegistry, htpasswd', () => {
  it('answers 401 with a Basic challenge, accepts the right password and refuses a wrong one', async () => {
    const r = await start({ auth: 'htpasswd', username: 'alice', password: 'open sesame' });
    expect(r.username).toBe('alice');
    const anon = await fetch(`${r.url}/v2/`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toBe('Basic realm="kc-test"');
    expect((await fetch(`${r.url}/v2/`, { headers: { authorization: basic('alice', 'wrong') } })).status).toBe(401);
    const auth = { authorization: basic(r.username!, r.password!) };
    expect((await fetch(`${r.url}/v2/`, { headers: auth })).status).toBe(200);
    await pushBlob(r.url, 'private/app', Buffer.from('data'), auth);
  });
});

describe('startRegistry, token auth', () => {
  it('challenges with Bearer realm/service/scope, and accepts a token its token server issued', async () => {
    const r = await start({ auth: 'token' });
    const anon = await fetch(`${r.url}/v2/t/app/manifests/1`);
    expect(anon.status).toBe(401);
    const params = challenge(anon.headers.get('www-authenticate'));
    expect(params).toEqual({ realm: r.realm, service: 'kc-test-registry', scope: 'repository:t/app:pull' });

    const tokenUrl = `${params.realm}?service=${params.service}&scope=${encodeURIComponent(params.scope)}`;
    const bad = await fetch(tokenUrl, { headers: { authorization: basic(r.username!, 'wrong') } });
    expect(bad.status).toBe(401);

    const pushScope = 'repository:t/app:pull,push';
    const res = await fetch(`${params.realm}?service=${params.service}&scope=${encodeURIComponent(pushScope)}`, {
      headers: { authorization: basic(r.username!, r.password!) },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; access_token: string; expires_in: number };
    expect(body.access_token).toBe(body.token);
    expect(body.expires_in).toBe(300);
    const part = (p: string) => JSON.parse(Buffer.from(p, 'base64url').toString());
    const [header, claims] = body.token.split('.').slice(0, 2).map(part);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    expect(claims).toMatchObject({
      iss: 'kc-test-token-server',
      aud: 'kc-test-registry',
      sub: r.username,
      access: [{ type: 'repository', name: 't/app', actions: ['pull', 'push'] }],
    });
    for (const k of ['exp', 'nbf', 'iat']) expect(typeof claims[k]).toBe('number');
    expect(typeof claims.jti).toBe('string');

    const bearer = { authorization: `Bearer ${body.token}` };
    const missing = await fetch(`${r.url}/v2/t/app/manifests/1`, { headers: bearer });
    expect(missing.status).toBe(404); // authorized: the manifest does not exist yet
    await pushBlob(r.url, 't/app', Buffer.from('layer'), bearer);
    // the token is for t/app only
    expect((await fetch(`${r.url}/v2/other/manifests/1`, { headers: bearer })).status).toBe(401);

    expect(r.tokenRequests!.map((q) => [q.method, q.scopes, q.account, q.authenticated, q.status])).toEqual([
      ['GET', ['repository:t/app:pull'], r.username, false, 401],
      ['GET', [pushScope], r.username, true, 200],
    ]);
    expect(JSON.stringify(r.tokenRequests)).not.toContain(r.password);
  });

  it('gives anonymous clients an empty token (insufficient_scope), or pull only with anonymousPull', async () => {
    const closed = await start({ auth: 'token' });
    const scope = encodeURIComponent('repository:t/app:pull,push');
    const q = `?service=kc-test-registry&scope=${scope}`;
    const empty = (await (await fetch(`${closed.realm}${q}`)).json()) as { token: string };
    const refusedRes = await fetch(`${closed.url}/v2/t/app/tags/list`, {
      headers: { authorization: `Bearer ${empty.token}` },
    });
    expect(refusedRes.status).toBe(401);
    expect(refusedRes.headers.get('www-authenticate')).toContain('error="insufficient_scope"');

    const open = await start({ auth: 'token', token: { anonymousPull: true } });
    const pull = (await (await fetch(`${open.realm}${q}`)).json()) as { token: string };
    const headers = { authorization: `Bearer ${pull.token}` };
    expect((await fetch(`${open.url}/v2/t/app/tags/list`, { headers })).status).toBe(404); // allowed, no such repo
    expect((await fetch(`${open.url}/v2/t/app/blobs/uploads/`, { method: 'POST', headers })).status).toBe(401);
    expect(open.tokenRequests![0]).toMatchObject({
      account: undefined,
      granted: [{ name: 't/app', actions: ['pull'] }],
    });
  });
});

describe('startRegistry, TLS', () => {
  it('serves HTTPS that the throwaway CA verifies and that is refused without it or with another CA', async () => {
    const r = await start({ tls: true, auth: 'token' });
    expect(r.url).toBe(`https://${r.host}`);
    expect(r.caPem).toContain('BEGIN CERTIFICATE');
    expect(r.realm).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/token$/);
    expect((await httpsGet(`${r.url}/v2/`, r.caPem)).status).toBe(401);
    await expect(httpsGet(`${r.url}/v2/`)).rejects.toThrow(/self.signed|unable to (get|verify)/i);
    await expect(httpsGet(`${r.url}/v2/`, r.otherCaPem)).rejects.toThrow(/unable to (get|verify)|self.signed/i);

    // the token server is HTTPS too, from the same CA
    const token = await httpsGet(`${r.realm}?service=kc-test-registry&scope=repository:t/app:pull`, r.caPem, {
      authorization: basic(r.username!, r.password!),
    });
    expect(token.status).toBe(200);
    const bearer = { authorization: `Bearer ${(JSON.parse(token.body) as { token: string }).token}` };
    expect((await httpsGet(`${r.url}/v2/t/app/tags/list`, r.caPem, bearer)).status).toBe(404);
  });
});

describe('real tools', () => {
  it('oras pushes a file to the anonymous registry and pulls it back', async () => {
    const r = await start({});
    const oras = toolPath('oras');
    const dir = fs.mkdtempSync(path.join(scratch, 'oras-'));
    const env = { ...process.env, HOME: dir, DOCKER_CONFIG: path.join(dir, '.docker'), NO_PROXY: '*' };
    fs.writeFileSync(path.join(dir, 'chart.tgz'), crypto.randomBytes(2048));
    const ref = `${r.host}/x:1`;
    const push = await run(oras, ['push', '--plain-http', ref, 'chart.tgz'], { cwd: dir, env, timeout: 60_000 });
    expect(push.stdout).toContain('Pushed');
    fs.mkdirSync(path.join(dir, 'out'));
    await run(oras, ['pull', '--plain-http', ref, '-o', 'out'], { cwd: dir, env, timeout: 60_000 });
    expect(fs.readFileSync(path.join(dir, 'out/chart.tgz'))).toEqual(fs.readFileSync(path.join(dir, 'chart.tgz')));
    const fetched = await run(oras, ['manifest', 'fetch', '--plain-http', ref], { env, timeout: 60_000 });
    const manifest = JSON.parse(fetched.stdout);
    expect(manifest.layers[0].annotations['org.opencontainers.image.title']).toBe('chart.tgz');
  });

  it('cosign generate-key-pair writes an encrypted key and a public key Node reads (COSIGN_PASSWORD)', async () => {
    const cosign = toolPath('cosign'); // builds it (under the script's lock) if the cache does not have it yet
    const dir = fs.mkdtempSync(path.join(scratch, 'cosign-'));
    const env = { ...process.env, HOME: dir, COSIGN_PASSWORD: 'test-password' };
    await run(cosign, ['generate-key-pair'], { cwd: dir, env, timeout: 60_000 });
    const key = fs.readFileSync(path.join(dir, 'cosign.key'), 'utf8');
    expect(key).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----/);
    const pub = crypto.createPublicKey(fs.readFileSync(path.join(dir, 'cosign.pub')));
    expect(pub.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });
});

describe('test/registry/registry.sh', () => {
  it('up starts an anonymous registry (idempotent), url prints HOST:PORT, down stops it', async () => {
    const state = fs.mkdtempSync(path.join(scratch, 'state-'));
    const env = { ...process.env, KC_REGISTRY_STATE: state, KC_REGISTRY_PORT: '0' };
    const sh = (cmd: string) =>
      run('bash', ['test/registry/registry.sh', cmd], { cwd: repoRoot, env, timeout: 60_000 });
    try {
      await sh('up');
      const host = (await sh('url')).stdout;
      expect(host).toMatch(/^127\.0\.0\.1:\d+\n$/);
      const pid = Number(fs.readFileSync(path.join(state, 'registry.pid'), 'utf8'));
      expect((await sh('up')).stderr).toContain('already running');
      expect(fs.readFileSync(path.join(state, 'registry.pid'), 'utf8').trim()).toBe(String(pid));
      const url = `http://${host.trim()}`;
      expect((await fetch(`${url}/v2/`)).status).toBe(200);
      await pushBlob(url, 'demo/app', Buffer.from('x'));
      expect(fs.readFileSync(path.join(state, 'config.yml'), 'utf8')).toContain('enabled: true');
      await sh('down');
      expect(gone(pid)).toBe(true);
      await expect(sh('url')).rejects.toMatchObject({ stderr: expect.stringContaining('not running') });
    } finally {
      await sh('down').catch(() => undefined);
    }
  });
});
