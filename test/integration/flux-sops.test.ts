// The real kustomize-controller (v1.9.6, test/flux/flux.sh) decrypts Secrets kc encrypted (encryptSecretForSops), in
// a kc-style multi-document objects.yaml next to a plain object: written by toSopsYaml and by kc's own toYaml (keys
// sorted, `lastmodified` unquoted), both applied with their plaintext; a Kustomization without the age key fails.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { FLUX_CONFIG_MEDIA_TYPE, FLUX_CONTENT_MEDIA_TYPE } from '../../src/gitops/types.js';
import { encryptSecretForSops, toSopsYaml } from '../../src/gitops/sops.js';
import { toYaml } from '../../src/synth/yaml.js';
import type { KubeObject } from '../../src/synth/order.js';
import { freshNamespace, makeKubeConfig, waitFor, type TestNamespace } from './helpers/cluster.js';
import {
  applyObjects,
  ensureFlux,
  fluxCondition,
  readFluxObject,
  waitForFluxReady,
  type FluxHandle,
  type FluxRef,
} from '../helpers/flux.js';
import { startRegistry, toolPath, type TestRegistry } from '../helpers/oci-registry.js';

const TOOL_TIMEOUT_MS = 60_000;

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
  ns = await freshNamespace('kc-flux-sops', kc);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-flux-sops-'));
}, 600_000);

afterAll(async () => {
  // Kustomizations before their sources (their finalizers need the controllers), bounded.
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const order = [...created].sort((a, b) => Number(b.kind === 'Kustomization') - Number(a.kind === 'Kustomization'));
  for (const ref of order) {
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
function run(bin: string, args: string[]): Promise<string> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NO_PROXY: '127.0.0.1' };
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd: dir, env, timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL' }, (err, out, errOut) =>
      err ? reject(new Error(`${path.basename(bin)} ${args[0]} failed: ${String(errOut).slice(-2000)}`)) : resolve(out),
    );
  });
}

/** Pushes one objects.yaml as a Flux artifact (Flux's media types) with the real oras; its digest. */
async function pushObjects(repository: string, objectsYaml: string): Promise<string> {
  const folder = fs.mkdtempSync(path.join(dir, 'content-'));
  fs.mkdirSync(path.join(folder, 'db'));
  fs.writeFileSync(path.join(folder, 'db', 'objects.yaml'), objectsYaml);
  const base = path.basename(folder);
  await run('tar', ['-czf', `${base}.tgz`, '-C', folder, '.']);
  fs.writeFileSync(path.join(dir, `${base}.json`), JSON.stringify({ created: '1970-01-01T00:00:00Z' }));
  const digest = await run(toolPath('oras'), [
    'push',
    '--plain-http',
    `${registry.host}/${repository}:prod`,
    '--config',
    `${base}.json:${FLUX_CONFIG_MEDIA_TYPE}`,
    '--format',
    'go-template={{.digest}}',
    `${base}.tgz:${FLUX_CONTENT_MEDIA_TYPE}`,
  ]);
  expect(digest.trim()).toMatch(/^sha256:[0-9a-f]{64}$/);
  return digest.trim();
}

/** An OCIRepository at the digest and a Kustomization of its ./db folder (sops decryption with `secret`). */
async function applyFlux(name: string, repository: string, digest: string, keySecret: string): Promise<FluxRef> {
  const source: FluxRef = { kind: 'OCIRepository', name, namespace: ns.name };
  const kustomization: FluxRef = { kind: 'Kustomization', name, namespace: ns.name };
  created.push(source, kustomization);
  await applyObjects(
    [
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'OCIRepository',
        metadata: { name, namespace: ns.name },
        spec: { url: `oci://${registry.host}/${repository}`, interval: '10m', insecure: true, ref: { digest } },
      },
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name, namespace: ns.name },
        spec: {
          interval: '10m',
          prune: true,
          wait: true,
          timeout: '60s',
          path: './db',
          targetNamespace: ns.name,
          sourceRef: { kind: 'OCIRepository', name },
          decryption: { provider: 'sops', secretRef: { name: keySecret } },
        },
      },
    ],
    kc,
  );
  return kustomization;
}

// A date-like label: kustomize-controller's YAML reader (go-yaml) takes an unquoted 2026-01-01 for a timestamp and
// applies "2026-01-01T00:00:00Z", which the API server refuses as a label; toSopsYaml quotes it, kc's toYaml does not.
function dbSecret(name: string, password: string, labels: Record<string, string> = { rotated: '2026-01-01' }) {
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, labels: { 'app.kubernetes.io/name': 'db', ...labels } },
    type: 'Opaque',
    data: { password: Buffer.from(password).toString('base64'), empty: '' },
    stringData: { username: 'app', 'config.yaml': 'user: app\nport: 5432\n' },
  };
  return secret;
}

const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'db-settings' },
  data: { a: 'b' },
};

describe("kustomize-controller decrypts kc's SOPS Secrets", () => {
  let identity: string;
  let recipient: string;

  beforeAll(async () => {
    identity = await generateX25519Identity();
    recipient = await identityToRecipient(identity);
    const data = { 'identity.agekey': Buffer.from(`${identity}\n`).toString('base64') };
    const keySecret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sops-age', namespace: ns.name }, data };
    await applyObjects([keySecret], kc);
  });

  it('applies both Secrets with their plaintext (toSopsYaml and kc toYaml), the ConfigMap beside them', async () => {
    const pw1 = `pw-${randomBytes(12).toString('hex')}`;
    const pw2 = `pw-${randomBytes(12).toString('hex')}`;
    const now = new Date();
    const quoted = await encryptSecretForSops(dbSecret('db-quoted', pw1), [recipient], { now });
    // kc's toYaml leaves `lastmodified` unquoted: Flux decrypts it all the same (sops's JSON store reads a string).
    const plain = await encryptSecretForSops(dbSecret('db-kc-yaml', pw2, {}), [recipient], { now });
    expect(toYaml(plain)).toMatch(/lastmodified: \d{4}-\d\d-\d\dT/);
    const objectsYaml = `---\n${toYaml(configMap)}---\n${toSopsYaml(quoted)}---\n${toYaml(plain)}`;
    for (const pw of [pw1, pw2]) {
      expect(objectsYaml).not.toContain(pw);
      expect(objectsYaml).not.toContain(Buffer.from(pw).toString('base64'));
    }
    const digest = await pushObjects('kc/sops', objectsYaml);
    const kustomization = await applyFlux('kc-sops', 'kc/sops', digest, 'sops-age');
    const ready = await waitForFluxReady(kustomization, { flux, revision: digest });
    expect(ready.status!.lastAppliedRevision).toContain(digest);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (const [name, pw] of [['db-quoted', pw1], ['db-kc-yaml', pw2]] as const) {
      const s = await core.readNamespacedSecret({ name, namespace: ns.name });
      const text = (k: string) => Buffer.from(s.data![k] ?? '', 'base64').toString('utf8');
      expect(text('password')).toBe(pw);
      expect(text('username')).toBe('app');
      expect(text('config.yaml')).toBe('user: app\nport: 5432\n');
      expect(s.data!.empty ?? '').toBe('');
      if (name === 'db-quoted') expect(s.metadata?.labels?.rotated).toBe('2026-01-01');
      expect(JSON.stringify(s)).not.toContain('ENC[');
      expect(JSON.stringify(s)).not.toContain('"sops"');
    }
    const cm = await core.readNamespacedConfigMap({ name: 'db-settings', namespace: ns.name });
    expect(cm.data).toEqual({ a: 'b' });
  }, 180_000);

  it('fails the Kustomization, applying nothing, when the cluster holds another age key', async () => {
    const other = await generateX25519Identity();
    const data = { 'identity.agekey': Buffer.from(`${other}\n`).toString('base64') };
    const keySecret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other-age', namespace: ns.name }, data };
    await applyObjects([keySecret], kc);
    const secret = await encryptSecretForSops(dbSecret('db-other', 'never-applied'), [recipient], { now: new Date() });
    const digest = await pushObjects('kc/sops-other', `---\n${toSopsYaml(secret)}`);
    const kustomization = await applyFlux('kc-sops-other', 'kc/sops-other', digest, 'other-age');
    // Ready=False first says the source is not ready yet; the decryption failure comes after.
    const ready = await waitFor(
      async () => {
        const c = fluxCondition(await readFluxObject(kustomization, kc), 'Ready');
        return c?.status === 'False' && /decrypt/i.test(c.message ?? '') && c;
      },
      { timeoutMs: 90_000, description: 'the Kustomization to fail on decryption' },
    );
    expect(ready.reason).toBe('BuildFailed');
    expect(ready.message).toMatch(/Failed to get the data key/);
    expect(ready?.message).not.toContain('never-applied');
    const read = kc.makeApiClient(k8s.CoreV1Api).readNamespacedSecret({ name: 'db-other', namespace: ns.name });
    await expect(read).rejects.toThrow();
  }, 180_000);
});
