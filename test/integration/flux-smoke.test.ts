// The real Flux controllers (source-controller and kustomize-controller v1.9.6, test/flux/flux.sh) against the test
// cluster and a real registry on 127.0.0.1: an artifact in Flux's layout (pushed by the real oras) is pulled by an
// OCIRepository and applied by a Kustomization; cosign verification refuses an unsigned artifact and accepts one the
// real cosign signed; a Secret encrypted by the real sops for an age key is decrypted by kustomize-controller.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, waitFor, type TestNamespace } from './helpers/cluster.js';
import {
  applyObjects,
  ensureFlux,
  fluxCondition,
  fluxToolPath,
  readFluxObject,
  requestReconcile,
  waitForFluxCondition,
  waitForFluxReady,
  type FluxHandle,
  type FluxRef,
} from '../helpers/flux.js';
import { startRegistry, toolPath, type TestRegistry } from '../helpers/oci-registry.js';

const FLUX_CONFIG = 'application/vnd.cncf.flux.config.v1+json';
const FLUX_CONTENT = 'application/vnd.cncf.flux.content.v1.tar+gzip';
const TOOL_TIMEOUT_MS = 60_000;
const COSIGN_PASSWORD = 'flux-smoke-pass';
const TEST_TIMEOUT_MS = 240_000; // each Flux wait is bounded by 90 s

let flux: FluxHandle;
let registry: TestRegistry;
let ns: TestNamespace;
let dir: string;
let kc: k8s.KubeConfig;
const created: FluxRef[] = [];

beforeAll(async () => {
  flux = await ensureFlux();
  registry = await startRegistry();
  kc = makeKubeConfig();
  ns = await freshNamespace('kc-flux-smoke', kc);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-flux-smoke-'));
}, 600_000);

afterAll(async () => {
  // Flux objects first (their finalizers need the controllers), Kustomizations before their sources, bounded.
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const first = (ref: FluxRef) => Number(ref.kind !== 'Kustomization');
  for (const ref of [...created].sort((a, b) => first(a) - first(b))) {
    const { apiVersion } = (await readFluxObject(ref, kc)) ?? {};
    if (!apiVersion) continue;
    await objects.delete({ apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } });
    await waitFor(async () => (await readFluxObject(ref, kc)) === undefined, {
      timeoutMs: 60_000,
      description: `${ref.kind} ${ref.name} deleted`,
    });
  }
  await ns?.cleanup();
  await registry?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 300_000);

/** Runs a tool in the temp dir with its own HOME, offline, bounded; rejects with its stderr on a non-zero exit. */
function run(bin: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const fullEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NO_PROXY: '127.0.0.1', ...env };
  return new Promise((resolve, reject) => {
    const options = { cwd: dir, env: fullEnv, timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL' as const };
    execFile(bin, args, options, (err, out, errOut) =>
      err ? reject(new Error(`${path.basename(bin)} ${args[0]} failed: ${String(errOut).slice(-2000)}`)) : resolve(out),
    );
  });
}

/** Pushes a folder of files as a Flux artifact (Flux's config and content media types) with oras; its digest. */
async function pushFluxArtifact(repository: string, files: Record<string, string>): Promise<string> {
  const folder = fs.mkdtempSync(path.join(dir, 'content-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
  const base = path.basename(folder);
  await run('tar', ['-czf', `${base}.tgz`, '-C', folder, '.']);
  fs.writeFileSync(path.join(dir, `${base}.json`), JSON.stringify({ created: '1970-01-01T00:00:00Z' }));
  const digest = await run(toolPath('oras'), [
    'push',
    '--plain-http',
    `${registry.host}/${repository}:latest`,
    '--config',
    `${base}.json:${FLUX_CONFIG}`,
    '--annotation',
    'org.opencontainers.image.source=https://example.test/kc/flux-smoke',
    '--annotation',
    'org.opencontainers.image.revision=main@sha1:0000000000000000000000000000000000000000',
    '--format',
    'go-template={{.digest}}',
    `${base}.tgz:${FLUX_CONTENT}`,
  ]);
  expect(digest.trim()).toMatch(/^sha256:[0-9a-f]{64}$/);
  return digest.trim();
}

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  greeting: ${value}\n`;

/** Applies an OCIRepository for a digest (plain HTTP registry), plus options such as verify. */
async function applySource(name: string, repository: string, digest: string, extra: Record<string, unknown> = {}) {
  const ref: FluxRef = { kind: 'OCIRepository', name, namespace: ns.name };
  created.push(ref);
  await applyObjects(
    [
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'OCIRepository',
        metadata: { name, namespace: ns.name },
        spec: {
          url: `oci://${registry.host}/${repository}`,
          interval: '10m',
          insecure: true,
          ref: { digest },
          ...extra,
        },
      },
    ],
    kc,
  );
  return ref;
}

/** Applies a Kustomization of an OCIRepository into the test namespace (prune, wait), plus options. */
async function applyKustomization(name: string, source: string, extra: Record<string, unknown> = {}) {
  const ref: FluxRef = { kind: 'Kustomization', name, namespace: ns.name };
  created.push(ref);
  const spec = {
    interval: '10m',
    prune: true,
    wait: true,
    timeout: '60s',
    path: './',
    targetNamespace: ns.name,
    sourceRef: { kind: 'OCIRepository', name: source },
    ...extra,
  };
  const metadata = { name, namespace: ns.name };
  await applyObjects([{ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata, spec }], kc);
  return ref;
}

async function applySecret(name: string, data: Record<string, string>) {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  await applyObjects([{ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns.name }, data: encoded }], kc);
}

describe('real Flux controllers (source-controller, kustomize-controller v1.9.6)', () => {
  it('runs them on loopback against the test cluster, with the artifact server at storageAddr', () => {
    expect(flux.namespace).toBe('flux-system');
    expect(flux.storageAddr).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('pulls a Flux-layout artifact from a real registry and applies its ConfigMap with a Kustomization', async () => {
    const digest = await pushFluxArtifact('flux/smoke', { 'configmap.yaml': configMap('smoke', 'hello-from-flux') });
    const source = await applySource('smoke', 'flux/smoke', digest);
    const repo = await waitForFluxReady(source, { flux });
    const artifact = repo.status!.artifact as { revision: string; url: string; metadata?: Record<string, string> };
    expect(artifact.revision).toContain(digest);
    expect(artifact.url.startsWith(`http://${flux.storageAddr}/`)).toBe(true);
    expect(artifact.metadata?.['org.opencontainers.image.source']).toBe('https://example.test/kc/flux-smoke');

    const kustomization = await applyKustomization('smoke', 'smoke');
    const applied = await waitForFluxReady(kustomization, { flux, revision: digest });
    expect(applied.status!.lastAppliedRevision).toContain(digest);
    const cm = await kc.makeApiClient(k8s.CoreV1Api).readNamespacedConfigMap({ name: 'smoke', namespace: ns.name });
    expect(cm.data).toEqual({ greeting: 'hello-from-flux' });
    expect(cm.metadata?.labels?.['kustomize.toolkit.fluxcd.io/name']).toBe('smoke');
  }, TEST_TIMEOUT_MS);

  it('refuses an unsigned artifact under cosign verification, accepts it once the real cosign signed it', async () => {
    const cosign = toolPath('cosign');
    const cosignEnv = { COSIGN_PASSWORD, COSIGN_YES: 'true', TUF_ROOT: path.join(dir, 'tuf') };
    await run(cosign, ['generate-key-pair'], cosignEnv);
    await applySecret('cosign-pub', { 'cosign.pub': fs.readFileSync(path.join(dir, 'cosign.pub'), 'utf8') });

    const digest = await pushFluxArtifact('flux/signed', { 'configmap.yaml': configMap('signed', 'verified') });
    const verify = { verify: { provider: 'cosign', secretRef: { name: 'cosign-pub' } } };
    const source = await applySource('signed', 'flux/signed', digest, verify);
    const refused = await waitForFluxCondition(source, 'SourceVerified', 'False', { flux });
    expect(fluxCondition(refused, 'SourceVerified')?.reason).toBe('VerificationError');
    expect(fluxCondition(refused, 'Ready')?.status).toBe('False');
    expect(refused.status?.artifact).toBeUndefined();

    await run(
      cosign,
      ['sign', '--key', 'cosign.key', '--tlog-upload=false', '--use-signing-config=false', '--allow-http-registry',
        `${registry.host}/flux/signed@${digest}`],
      cosignEnv,
    );
    await requestReconcile(source, kc);
    const accepted = await waitForFluxCondition(source, 'SourceVerified', 'True', { flux });
    await waitForFluxReady(source, { flux });
    expect(fluxCondition(accepted, 'SourceVerified')?.message).toContain('verified');
    const artifact = (await readFluxObject(source, kc))!.status!.artifact as { revision: string };
    expect(artifact.revision).toContain(digest);
  }, TEST_TIMEOUT_MS);

  it('decrypts a Secret the real sops encrypted for an age key (Kustomization decryption, provider sops)', async () => {
    const keyFile = path.join(dir, 'age.txt');
    await run(fluxToolPath('age-keygen'), ['-o', keyFile]);
    const identity = fs.readFileSync(keyFile, 'utf8');
    const recipient = /^# public key: (age1[0-9a-z]+)$/m.exec(identity)?.[1];
    expect(recipient).toBeDefined();

    const password = `pw-${randomBytes(12).toString('hex')}`;
    fs.writeFileSync(
      path.join(dir, 'secret.yaml'),
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\ntype: Opaque\n' +
        `stringData:\n  password: ${password}\n`,
    );
    const encrypted = await run(fluxToolPath('sops'), [
      'encrypt',
      '--age',
      recipient!,
      '--encrypted-regex',
      '^(data|stringData)$',
      '--input-type',
      'yaml',
      '--output-type',
      'yaml',
      'secret.yaml',
    ]);
    expect(encrypted).not.toContain(password);
    expect(encrypted).toMatch(/password: ENC\[AES256_GCM,data:/);

    await applySecret('sops-age', { 'identity.agekey': identity });
    const digest = await pushFluxArtifact('flux/sops', { 'secret.enc.yaml': encrypted });
    await applySource('sops', 'flux/sops', digest);
    const kustomization = await applyKustomization('sops', 'sops', {
      decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
    });
    await waitForFluxReady(kustomization, { flux });
    const secret = await waitFor(
      () => kc.makeApiClient(k8s.CoreV1Api).readNamespacedSecret({ name: 'db-credentials', namespace: ns.name }),
      { timeoutMs: 10_000, description: 'Secret db-credentials' },
    );
    expect(Buffer.from(secret.data!.password, 'base64').toString('utf8')).toBe(password);
    expect(JSON.stringify(secret)).not.toContain('ENC[');
  }, TEST_TIMEOUT_MS);
});
