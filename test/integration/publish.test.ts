// `kc publish` against a real registry (distribution v3 on 127.0.0.1), read back by the real oras, sops and Flux
// controllers: Flux's media types, a folder per release, objects as kc synth renders them, SOPS-encrypted Secrets the
// real sops decrypts, the same digest for the same inputs, and an OCIRepository (cosign-verified) plus a Kustomization
// per release (dependsOn) that reconcile the artifact to Ready, Secret decrypted in the cluster.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { freshNamespace, makeKubeConfig, waitFor, type TestNamespace } from './helpers/cluster.js';
import {
  applyObjects,
  ensureFlux,
  fluxToolPath,
  readFluxObject,
  waitForFluxCondition,
  waitForFluxReady,
  type FluxHandle,
  type FluxRef,
} from '../helpers/flux.js';
import { startRegistry, toolPath, type TestRegistry } from '../helpers/oci-registry.js';
import { repoRoot, runCli } from '../helpers/run-cli.js';
import { CONFIG_CHART } from '../helpers/temp-project.js';

const FLUX_CONFIG = 'application/vnd.cncf.flux.config.v1+json';
const FLUX_CONTENT = 'application/vnd.cncf.flux.content.v1.tar+gzip';
const TOOL_TIMEOUT_MS = 60_000;
const PASSWORD = 'publish-it-pass';
const EXAMPLE = path.join(repoRoot, 'examples/webapp-with-db');

let registry: TestRegistry;
let dir: string;
let recipient: string;
const savedPassword = process.env.COSIGN_PASSWORD;

/** Runs a tool in the temp dir with its own HOME, offline and bounded; rejects with its stderr on a non-zero exit. */
function run(
  bin: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NO_PROXY: '127.0.0.1', ...options.env };
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { cwd: options.cwd ?? dir, env, timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL' },
      (err, out, e) =>
        err ? reject(new Error(`${path.basename(bin)} ${args[0]} failed: ${String(e).slice(-2000)}`)) : resolve(out),
    );
  });
}

/** kc in-process, with this test's own caches and Docker config. */
const kc = (args: string[]) =>
  runCli(args, {
    ctx: {
      cacheDir: path.join(dir, 'cache'),
      configDir: path.join(dir, 'config'),
      registryAuth: { env: { DOCKER_CONFIG: path.join(dir, 'docker') }, home: dir },
    },
  });

const digestOf = (stdout: string) => /^Digest: (sha256:[0-9a-f]{64})$/m.exec(stdout)?.[1];

/** A project folder in the temp dir with these files. */
function project(name: string, files: Record<string, string>): string {
  const root = path.join(dir, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** The example's prod environment (its app, values and values file, by absolute path), published with SOPS. */
function webappWithSops(): string {
  const config = `import { defineConfig } from 'kc/config';
export default defineConfig({
  name: 'webapp-with-db',
  app: ${JSON.stringify(path.join(EXAMPLE, 'app.ts'))},
  environments: {
    prod: {
      namespace: 'webapp-prod',
      values: {
        db: {
          persistence: { size: '20Gi' },
          resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
        },
        web: { env: { LOG_LEVEL: 'info' } },
      },
      valuesFiles: [${JSON.stringify(path.join(EXAMPLE, 'values/prod.yaml'))}],
      gitops: { repository: 'oci://${registry.host}/fleet/webapp', insecure: true, sops: { age: ['${recipient}'] } },
    },
  },
});
`;
  return project('webapp-sops', { 'kc.config.ts': config });
}

/** Pulls `ref` with the real oras into a fresh folder; the folder. */
async function orasPull(ref: string): Promise<string> {
  const out = fs.mkdtempSync(path.join(dir, 'pull-'));
  await run(toolPath('oras'), ['pull', '--plain-http', ref, '-o', out]);
  return out;
}

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Record<string, any>);
/** The raw text of each `---` document of a file kc wrote. */
const rawDocs = (text: string) => text.split(/^---\n/m).filter((d) => d.trim() !== '');
/** True for the raw text of a Secret's document (objects.yaml holds indented JSON documents). */
const isSecretDoc = (doc: string) => /^ {2}"kind": "Secret",$/m.test(doc);

beforeAll(async () => {
  process.env.COSIGN_PASSWORD = PASSWORD;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-publish-it-'));
  registry = await startRegistry();
  await run(fluxToolPath('age-keygen'), ['-o', 'age.txt']);
  recipient = /^# public key: (age1[0-9a-z]+)$/m.exec(fs.readFileSync(path.join(dir, 'age.txt'), 'utf8'))![1];
  await run(toolPath('cosign'), ['generate-key-pair'], { env: { COSIGN_PASSWORD: PASSWORD } });
}, 300_000);

afterAll(async () => {
  if (savedPassword === undefined) delete process.env.COSIGN_PASSWORD;
  else process.env.COSIGN_PASSWORD = savedPassword;
  await registry?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('kc publish examples/webapp-with-db --env prod', () => {
  test('as the example is (no gitops.sops): refused, naming the Secret db/db-mysql; nothing is pushed', async () => {
    const res = await kc(['publish', EXAMPLE, '--env', 'prod', `oci://${registry.host}/fleet/plain`, '--plain-http']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('SECRET_UNENCRYPTED');
    expect(res.stderr).toContain('db/db-mysql');
    const tags = await run(toolPath('oras'), ['repo', 'tags', '--plain-http', `${registry.host}/fleet/plain`]).catch(
      (e: Error) => e.message,
    );
    expect(tags).not.toContain('prod');
  });

  test("with gitops.sops: oras sees Flux's media types and annotations, oras pull the release folders", async () => {
    const root = webappWithSops();
    const res = await kc(['publish', root, '--env', 'prod']);
    expect(res.stderr).toBe('');
    expect(res.stdout).toContain(`Published: oci://${registry.host}/fleet/webapp:prod`);
    const digest = digestOf(res.stdout)!;
    const fetched = await run(toolPath('oras'), [
      'manifest',
      'fetch',
      '--plain-http',
      `${registry.host}/fleet/webapp:prod`,
    ]);
    const manifest = JSON.parse(fetched);
    expect(`sha256:${crypto.createHash('sha256').update(fetched).digest('hex')}`).toBe(digest);
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(manifest.config.mediaType).toBe(FLUX_CONFIG);
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([FLUX_CONTENT]);
    expect(manifest.annotations).toMatchObject({
      'org.opencontainers.image.created': '1970-01-01T00:00:00Z',
      'org.opencontainers.image.source': 'kc://webapp-with-db/prod',
      'org.opencontainers.image.revision': `prod@${manifest.layers[0].digest}`,
    });

    const pulled = await orasPull(`${registry.host}/fleet/webapp:prod`);
    expect(fs.readdirSync(pulled).sort()).toEqual(['db', 'web']);
    expect(fs.readdirSync(path.join(pulled, 'db'))).toEqual(['objects.yaml']);
    expect(fs.readdirSync(path.join(pulled, 'web'))).toEqual(['objects.yaml']);
  });

  test("the pulled objects are kc synth's, placed and annotated; the real sops decrypts the Secret", async () => {
    const root = webappWithSops();
    expect((await kc(['publish', root, '--env', 'prod'])).code).toBe(0);
    const synth = await kc(['synth', root, '--env', 'prod']);
    expect(synth.code).toBe(0);
    const rendered = docs(synth.stdout).filter((o) => o.metadata?.annotations?.['kc.dev/hook'] === undefined);
    const pulled = await orasPull(`${registry.host}/fleet/webapp:prod`);
    const dbText = fs.readFileSync(path.join(pulled, 'db/objects.yaml'), 'utf8');
    const published = [...docs(dbText), ...docs(fs.readFileSync(path.join(pulled, 'web/objects.yaml'), 'utf8'))];
    const strip = (o: Record<string, any>) => {
      const annotations = { ...o.metadata.annotations };
      delete annotations['kc.dev/release'];
      const metadata = { ...o.metadata, annotations };
      if (Object.keys(annotations).length === 0) delete metadata.annotations;
      return { ...o, metadata };
    };
    const isSecret = (o: Record<string, any>) => o.kind === 'Secret';
    expect(published.filter((o) => !isSecret(o)).map(strip)).toEqual(rendered.filter((o) => !isSecret(o)));
    expect(published.every((o) => o.metadata.annotations['kc.dev/release'].startsWith('webapp-prod/'))).toBe(true);

    const secretDoc = rawDocs(dbText).find(isSecretDoc)!;
    expect(secretDoc).toContain('ENC[AES256_GCM,data:');
    expect(secretDoc).not.toContain(rendered.find(isSecret)!.data['mysql-root-password']);
    fs.writeFileSync(path.join(dir, 'secret.enc.yaml'), secretDoc);
    const decrypted = await run(
      fluxToolPath('sops'),
      ['decrypt', '--input-type', 'yaml', '--output-type', 'yaml', 'secret.enc.yaml'],
      { env: { SOPS_AGE_KEY_FILE: path.join(dir, 'age.txt') } },
    );
    expect(strip(docs(decrypted)[0])).toEqual(rendered.find(isSecret));
  });

  test('published again: the same digest (the Secret keeps its ciphertext); a new cache encrypts it anew', async () => {
    const root = webappWithSops();
    const first = digestOf((await kc(['publish', root, '--env', 'prod'])).stdout)!;
    const second = digestOf((await kc(['publish', root, '--env', 'prod'])).stdout)!;
    expect(first).toMatch(/^sha256:/);
    expect(second).toBe(first);
    // Another machine (another cache) cannot prove the Secret unchanged: only the Secret's document differs.
    const other = await runCli(['publish', root, '--env', 'prod'], {
      ctx: {
        cacheDir: path.join(dir, 'other-cache'),
        configDir: path.join(dir, 'config'),
        registryAuth: { env: { DOCKER_CONFIG: path.join(dir, 'docker') }, home: dir },
      },
    });
    const third = digestOf(other.stdout)!;
    expect(third).toMatch(/^sha256:/);
    expect(third).not.toBe(first);
    const a = await orasPull(`${registry.host}/fleet/webapp@${first}`);
    const b = await orasPull(`${registry.host}/fleet/webapp@${third}`);
    const read = (d: string, f: string) => fs.readFileSync(path.join(d, f), 'utf8');
    expect(read(b, 'web/objects.yaml')).toBe(read(a, 'web/objects.yaml'));
    const plain = (d: string) => rawDocs(read(d, 'db/objects.yaml')).filter((doc) => !isSecretDoc(doc));
    expect(plain(b)).toEqual(plain(a));
    expect(plain(a)).toHaveLength(3);
    expect(read(b, 'db/objects.yaml')).not.toBe(read(a, 'db/objects.yaml'));
  });
});

const SECRET_CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

export const schema = z.object({ password: z.string().default('') });

export class Creds extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'creds', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Creds.meta, props);
    if (this.values.password) {
      const metadata = { name: \`\${id}-creds\` };
      new k8s.KubeSecret(this, 'creds', { metadata, stringData: { password: this.values.password } });
    }
  }
}
export default Creds;
`;

/** A two-release app (db, then web), with a Secret in db when the environment gives a password. */
function fleetApp(config: string): string {
  return project(`fleet-${crypto.randomBytes(4).toString('hex')}`, {
    'kc.config.ts': config,
    'maps.ts': CONFIG_CHART,
    'creds.ts': SECRET_CHART,
    'app.ts': `import { defineApp } from 'kc/chart';
import { Maps } from './maps.js';
import { Creds } from './creds.js';
export default defineApp((app) => {
  const creds = new Creds(app, 'db', {});
  const web = new Maps(app, 'web', { maps: { conf: { url: 'db' } } });
  web.addDependency(creds);
});
`,
  });
}

describe('same inputs, same digest', () => {
  test('an environment without Secrets publishes to the same digest twice; a changed value to another', async () => {
    const config = (url: string) => `import { defineConfig } from 'kc/config';
export default defineConfig({ name: 'fleet', app: './app.ts', environments: {
  prod: { namespace: 'fleet-prod', values: { web: { maps: { conf: { url: '${url}' } } } },
    gitops: { repository: 'oci://${registry.host}/fleet/plain-app', insecure: true } },
} });
`;
    const root = fleetApp(config('db'));
    const first = digestOf((await kc(['publish', root, '--env', 'prod'])).stdout);
    const again = digestOf((await kc(['publish', root, '--env', 'prod'])).stdout);
    expect(first).toMatch(/^sha256:/);
    expect(again).toBe(first);
    fs.writeFileSync(path.join(root, 'kc.config.ts'), config('db.other'));
    const changed = digestOf((await kc(['publish', root, '--env', 'prod'])).stdout);
    expect(changed).toMatch(/^sha256:/);
    expect(changed).not.toBe(first);
  });
});

describe('Flux reconciles a published environment (real source-controller and kustomize-controller)', () => {
  let flux: FluxHandle;
  let ns: TestNamespace;
  let kube: k8s.KubeConfig;
  const created: FluxRef[] = [];

  beforeAll(async () => {
    flux = await ensureFlux();
    kube = makeKubeConfig();
    ns = await freshNamespace('kc-publish', kube);
  }, 600_000);

  afterAll(async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kube);
    const order = [...created].sort((a, b) => Number(b.kind === 'Kustomization') - Number(a.kind === 'Kustomization'));
    for (const ref of order) {
      const { apiVersion } = (await readFluxObject(ref, kube)) ?? {};
      if (!apiVersion) continue;
      await objects.delete({ apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } });
      await waitFor(async () => (await readFluxObject(ref, kube)) === undefined, {
        timeoutMs: 60_000,
        description: `${ref.kind} ${ref.name} deleted`,
      });
    }
    await ns?.cleanup();
  }, 300_000);

  test('signed: OCIRepository verified, a Kustomization per release (dependsOn) Ready, Secret decrypted', async () => {
    const config = `import { defineConfig } from 'kc/config';
export default defineConfig({ name: 'fleet', app: './app.ts', environments: {
  prod: { namespace: '${ns.name}', values: { db: { password: 'in-cluster-only' } },
    gitops: { repository: 'oci://${registry.host}/fleet/flux', insecure: true, sops: { age: ['${recipient}'] },
      sign: { key: ${JSON.stringify(path.join(dir, 'cosign.key'))} } } },
} });
`;
    const root = fleetApp(config);
    const res = await kc(['publish', root, '--env', 'prod', '-o', 'json']);
    expect(res.stderr).toBe('');
    const published = JSON.parse(res.stdout);
    expect(published.signed).toBe(true);
    expect(published.releases.map((r: { name: string; dependsOn: string[] }) => [r.name, r.dependsOn])).toEqual([
      ['db', []],
      ['web', ['db']],
    ]);

    const encode = (text: string) => Buffer.from(text).toString('base64');
    await applyObjects(
      [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'cosign-pub', namespace: ns.name },
          data: { 'cosign.pub': encode(fs.readFileSync(path.join(dir, 'cosign.pub'), 'utf8')) },
        },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'sops-age', namespace: ns.name },
          data: { 'identity.agekey': encode(fs.readFileSync(path.join(dir, 'age.txt'), 'utf8')) },
        },
      ],
      kube,
    );
    const source: FluxRef = { kind: 'OCIRepository', name: 'fleet-prod', namespace: ns.name };
    created.push(source);
    await applyObjects(
      [
        {
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'OCIRepository',
          metadata: { name: source.name, namespace: ns.name },
          spec: {
            url: published.repository,
            interval: '10m',
            insecure: true,
            ref: { digest: published.digest },
            verify: { provider: 'cosign', secretRef: { name: 'cosign-pub' } },
          },
        },
      ],
      kube,
    );
    await waitForFluxCondition(source, 'SourceVerified', 'True', { flux });
    await waitForFluxReady(source, { flux });

    for (const r of published.releases as { name: string; path: string; dependsOn: string[] }[]) {
      const ref: FluxRef = { kind: 'Kustomization', name: `fleet-prod-${r.name}`, namespace: ns.name };
      created.push(ref);
      const spec = {
        interval: '10m',
        prune: true,
        wait: true,
        timeout: '60s',
        path: r.path,
        sourceRef: { kind: 'OCIRepository', name: source.name },
        dependsOn: r.dependsOn.map((d) => ({ name: `fleet-prod-${d}` })),
        decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
      };
      const kustomization = { metadata: { name: ref.name, namespace: ns.name }, spec };
      await applyObjects(
        [{ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', ...kustomization }],
        kube,
      );
    }
    for (const name of ['fleet-prod-db', 'fleet-prod-web']) {
      const ready = await waitForFluxReady(
        { kind: 'Kustomization', name, namespace: ns.name },
        { flux, revision: published.digest },
      );
      expect(ready.status!.lastAppliedRevision).toContain(published.digest);
    }

    const core = kube.makeApiClient(k8s.CoreV1Api);
    const secret = await core.readNamespacedSecret({ name: 'db-creds', namespace: ns.name });
    expect(Buffer.from(secret.data!.password, 'base64').toString()).toBe('in-cluster-only');
    expect(secret.metadata?.annotations?.['kc.dev/release']).toBe(`${ns.name}/db`);
    const cm = await core.readNamespacedConfigMap({ name: 'web-conf', namespace: ns.name });
    expect(cm.data).toEqual({ url: 'db' });
    expect(cm.metadata?.annotations?.['kc.dev/release']).toBe(`${ns.name}/web`);
  }, 300_000);
});
