// `kc publish` through the real command tree, against a small fake OCI registry on 127.0.0.1 (blobs, manifests by tag
// and digest): what it prints, the repository and plain HTTP from the environment's gitops settings, and refusals.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startFakeHttp, type FakeServer } from '../helpers/fake-http.js';
import { runCli } from '../helpers/run-cli.js';
import { CONFIG_CHART, tempProject, type TempProject } from '../helpers/temp-project.js';

let registry: FakeServer;
const blobs = new Map<string, Buffer>();
const manifests = new Map<string, { bytes: Buffer; type: string }>();
let project: TempProject;
let home: string;

const sha = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

beforeAll(async () => {
  registry = await startFakeHttp((req, res) => {
    const url = new URL(req.url, 'http://x');
    const blob = url.pathname.match(/^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]{64})$/);
    const upload = url.pathname.match(/^\/v2\/(.+)\/blobs\/uploads\/(\w*)$/);
    const manifest = url.pathname.match(/^\/v2\/(.+)\/manifests\/([^/]+)$/);
    if (url.pathname === '/v2/') return res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (blob && req.method === 'HEAD') return res.writeHead(blobs.has(blob[2]) ? 200 : 404).end();
    if (upload && req.method === 'POST')
      return res.writeHead(202, { location: `/v2/${upload[1]}/blobs/uploads/u1` }).end();
    if (upload && req.method === 'PUT') {
      blobs.set(url.searchParams.get('digest')!, req.body);
      return res.writeHead(201, { 'docker-content-digest': sha(req.body) }).end();
    }
    if (manifest && req.method === 'PUT') {
      const stored = { bytes: req.body, type: String(req.headers['content-type']) };
      manifests.set(`${manifest[1]}:${manifest[2]}`, stored);
      manifests.set(`${manifest[1]}@${sha(req.body)}`, stored);
      return res.writeHead(201, { 'docker-content-digest': sha(req.body) }).end();
    }
    if (manifest && req.method === 'GET') {
      const found = manifests.get(`${manifest[1]}:${manifest[2]}`) ?? manifests.get(`${manifest[1]}@${manifest[2]}`);
      if (!found)
        return res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
      return res
        .writeHead(200, { 'content-type': found.type, 'docker-content-digest': sha(found.bytes) })
        .end(found.bytes);
    }
    res.writeHead(404).end();
  });
  const config = `import { defineConfig } from 'kc/config';
export default defineConfig({
  name: 'shop',
  app: './app.ts',
  environments: {
    prod: { namespace: 'shop-prod', gitops: { repository: 'oci://${registry.host}/fleet/shop', insecure: true } },
    bare: { namespace: 'shop-bare' },
  },
});
`;
  project = tempProject({
    'kc.config.ts': config,
    'maps.ts': CONFIG_CHART,
    'app.ts': `import { defineApp } from 'kc/chart';
import { Maps } from './maps.js';
export default defineApp((app) => {
  const db = new Maps(app, 'db', { maps: { conf: { size: '1' } } });
  const web = new Maps(app, 'web', { maps: { conf: { url: 'db' } } });
  web.addDependency(db);
});
`,
  });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-cli-publish-'));
});
afterAll(async () => {
  await registry.close();
  project.remove();
  fs.rmSync(home, { recursive: true, force: true });
});

const kc = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(args, { ctx: { registryAuth: { env: { DOCKER_CONFIG: path.join(home, 'docker'), ...env }, home } } });

describe('kc publish', () => {
  test("pushes to the env's gitops.repository over plain HTTP (gitops.insecure) and prints the digest", async () => {
    const run = await kc(['publish', project.dir, '--env', 'prod']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const digest = run.stdout.match(/^Digest: (sha256:[a-f0-9]{64})$/m)?.[1];
    expect(run.stdout).toBe(
      `Published: oci://${registry.host}/fleet/shop:prod\nDigest: ${digest}\n` +
        '  ./db: 1 object(s) in shop-prod\n  ./web: 1 object(s) in shop-prod (after db)\n',
    );
    const stored = manifests.get('fleet/shop:prod')!;
    expect(sha(stored.bytes)).toBe(digest);
    const manifest = JSON.parse(stored.bytes.toString());
    expect(manifest.config.mediaType).toBe('application/vnd.cncf.flux.config.v1+json');
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([
      'application/vnd.cncf.flux.content.v1.tar+gzip',
    ]);
  });

  test('publishing again gives the same digest; -o json says what was pushed', async () => {
    const first = await kc(['publish', project.dir, '--env', 'prod']);
    const again = await kc(['publish', project.dir, '--env', 'prod', '-o', 'json']);
    expect(again.code).toBe(0);
    const data = JSON.parse(again.stdout);
    expect(first.stdout).toContain(`Digest: ${data.digest}`);
    expect(data).toMatchObject({
      reference: `oci://${registry.host}/fleet/shop:prod`,
      repository: `oci://${registry.host}/fleet/shop`,
      tag: 'prod',
      project: 'shop',
      env: 'prod',
      signed: false,
      releases: [
        { name: 'db', namespace: 'shop-prod', path: './db', dependsOn: [], objects: 1 },
        { name: 'web', namespace: 'shop-prod', path: './web', dependsOn: ['db'], objects: 1 },
      ],
    });
  });

  test('a repository on the command line wins; SOURCE_DATE_EPOCH sets the created time, so the digest', async () => {
    const args = ['publish', project.dir, '--env', 'bare', `oci://${registry.host}/other/shop`, '--plain-http'];
    const plain = await kc(args);
    expect(plain.stdout).toContain(`Published: oci://${registry.host}/other/shop:bare`);
    const created = () =>
      JSON.parse(manifests.get('other/shop:bare')!.bytes.toString()).annotations['org.opencontainers.image.created'];
    expect(created()).toBe('1970-01-01T00:00:00Z');
    process.env.SOURCE_DATE_EPOCH = '1733443200';
    try {
      const dated = await kc(args);
      expect(created()).toBe('2024-12-06T00:00:00Z');
      expect(dated.stdout.match(/Digest: (\S+)/)![1]).not.toBe(plain.stdout.match(/Digest: (\S+)/)![1]);
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
  });

  test('--sign --key: the digest is signed (cosign .sig tag); a non-key fails before any push', async () => {
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    fs.writeFileSync(path.join(home, 'cosign.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const run = await kc(['publish', project.dir, '--env', 'prod', '--sign', '--key', path.join(home, 'cosign.key')]);
    expect(run.stderr).toBe('');
    const digest = run.stdout.match(/^Digest: sha256:([a-f0-9]{64})$/m)![1];
    expect(run.stdout).toContain('Signed: yes\n');
    expect(manifests.has(`fleet/shop:sha256-${digest}.sig`)).toBe(true);

    fs.writeFileSync(path.join(home, 'not-a-key'), 'hello');
    const before = registry.requests.length;
    const bad = await kc(['publish', project.dir, '--env', 'prod', '--sign', '--key', path.join(home, 'not-a-key')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('KEY_INVALID');
    expect(registry.requests.length).toBe(before);
  });

  test('a Secret is refused before anything is pushed, named release/name, with the fix', async () => {
    const before = registry.requests.length;
    const run = await kc([
      'publish',
      'examples/webapp-with-db',
      '--env',
      'prod',
      `oci://${registry.host}/fleet/webapp`,
      '--plain-http',
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('SECRET_UNENCRYPTED');
    expect(run.stderr).toContain('db/db-mysql');
    expect(run.stderr).toContain('gitops.sops.age');
    expect(run.stderr).not.toContain('cm9vdA=='); // the root password, base64
    expect(registry.requests.length).toBe(before);
  });

  test('usage: no repository anywhere, a tag in the repository, --sign without --key and vice versa', async () => {
    const none = await kc(['publish', project.dir, '--env', 'bare']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('gitops.repository');
    const tagged = await kc(['publish', project.dir, '--env', 'bare', `oci://${registry.host}/fleet/shop:v1`]);
    expect(tagged.code).toBe(2);
    expect(tagged.stderr).toContain("the tag is the environment's name");
    const sign = await kc(['publish', project.dir, '--env', 'prod', '--sign']);
    expect(sign.code).toBe(2);
    expect(sign.stderr).toContain('--sign needs --key');
    const key = await kc(['publish', project.dir, '--env', 'prod', '--key', 'cosign.key']);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('--key is for --sign');
    const order = await kc(['publish', `oci://${registry.host}/fleet/shop`, project.dir, '--env', 'prod']);
    expect(order.code).toBe(2);
    expect(order.stderr).toContain('project before the repository');
  });
});
