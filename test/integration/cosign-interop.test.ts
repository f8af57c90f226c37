// kc's signatures against the real cosign (v3.1.3) and the real CNCF registry on 127.0.0.1, offline (key-based, no
// transparency log): cosign verifies what kc signed, kc verifies both formats cosign writes, and both refuse what
// they must.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readPrivateKeyFile, readPublicKeyFile, writeKeyPair } from '../../src/oci/cosign-key.js';
import { KC_ARTIFACT_TYPE, KC_CONTENT_MEDIA_TYPE, OCI_EMPTY, OCI_MANIFEST } from '../../src/oci/media-types.js';
import { registryClient } from '../../src/oci/registry-client.js';
import { buildSignatureImage, signArtifact, verifyArtifact } from '../../src/oci/signature-store.js';
import type { RegistryClient, RepositoryRef } from '../../src/oci/types.js';
import { startRegistry, toolPath, type TestRegistry } from '../helpers/oci-registry.js';

const PASSWORD = 'interop-pass';
const COSIGN_TIMEOUT_MS = 60_000;

let registry: TestRegistry;
let client: RegistryClient;
let dir: string;
let cosign: string;

beforeAll(async () => {
  cosign = toolPath('cosign');
  registry = await startRegistry();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-cosign-'));
  client = registryClient({ connection: { plainHttp: true }, credentials: { get: async () => undefined } });
});

afterAll(async () => {
  await registry?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs cosign in the temp dir, offline: its own HOME and TUF cache, the password from COSIGN_PASSWORD, bounded. */
function runCosign(args: string[]): Promise<Run> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    TUF_ROOT: path.join(dir, 'tuf'),
    COSIGN_PASSWORD: PASSWORD,
    COSIGN_YES: 'true',
    NO_PROXY: '127.0.0.1',
  };
  return new Promise((resolve) => {
    execFile(
      cosign,
      args,
      { cwd: dir, env, timeout: COSIGN_TIMEOUT_MS, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

function repoNamed(name: string): RepositoryRef {
  return { registry: registry.host, repository: `charts/${name}` };
}

/** Pushes a kc-like artifact (empty config, one content layer) under a tag; returns its digest. */
async function pushArtifact(repo: RepositoryRef, tag: string, content: string): Promise<string> {
  const empty = await client.pushBlob(repo, Buffer.from('{}'), OCI_EMPTY);
  const layer = await client.pushBlob(repo, Buffer.from(content), KC_CONTENT_MEDIA_TYPE);
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: KC_ARTIFACT_TYPE,
    config: { mediaType: OCI_EMPTY, digest: empty.digest, size: empty.size, data: 'e30=' },
    layers: [{ mediaType: KC_CONTENT_MEDIA_TYPE, digest: layer.digest, size: layer.size }],
  };
  return client.putManifest(repo, tag, Buffer.from(JSON.stringify(manifest)), OCI_MANIFEST);
}

const ref = (repo: RepositoryRef, digest: string) => `${repo.registry}/${repo.repository}@${digest}`;

async function cosignVerify(repo: RepositoryRef, digest: string, pub: string): Promise<Run> {
  return runCosign(['verify', '--key', pub, '--insecure-ignore-tlog=true', '--allow-http-registry', ref(repo, digest)]);
}

async function cosignSign(repo: RepositoryRef, digest: string, key: string, legacy: boolean): Promise<void> {
  const args = ['sign', '--key', key, '--tlog-upload=false', '--use-signing-config=false', '--allow-http-registry'];
  const run = await runCosign([...args, ...(legacy ? ['--new-bundle-format=false'] : []), ref(repo, digest)]);
  if (run.code !== 0) throw new Error(`cosign sign failed (${run.code}): ${run.stderr}`);
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected SIGNATURE_INVALID');
}

describe('cosign interop (real cosign v3, real registry, offline)', () => {
  it('kc reads the key pair `cosign generate-key-pair` writes, and cosign signs with a key kc generated', async () => {
    const gen = await runCosign(['generate-key-pair']);
    expect(gen.code).toBe(0);
    const key = await readPrivateKeyFile(path.join(dir, 'cosign.key'), PASSWORD);
    const pub = await readPublicKeyFile(path.join(dir, 'cosign.pub'));
    expect(key.publicKey.hint).toBe(pub.hint);
    const wrong = await refusal(readPrivateKeyFile(path.join(dir, 'cosign.key'), 'not-it'));
    expect(wrong.code).toBe('KEY_INVALID');

    await writeKeyPair(path.join(dir, 'kc'), PASSWORD);
    const repo = repoNamed('kc-made-key');
    const digest = await pushArtifact(repo, '1.0.0', 'made by kc');
    await cosignSign(repo, digest, 'kc.key', true);
    const result = await verifyArtifact(client, repo, digest, [await readPublicKeyFile(path.join(dir, 'kc.pub'))]);
    expect(result.valid.map((v) => v.source)).toEqual(['legacy-tag']);
  });

  it('cosign verify --key accepts what kc signed', async () => {
    const repo = repoNamed('kc-signed');
    const digest = await pushArtifact(repo, '1.0.0', 'kc signs this');
    const key = await readPrivateKeyFile(path.join(dir, 'cosign.key'), PASSWORD);
    const signed = await signArtifact(client, repo, digest, key);
    expect(signed.reference).toBe(`${repo.registry}/${repo.repository}:sha256-${digest.slice(7)}.sig`);
    const run = await cosignVerify(repo, digest, 'cosign.pub');
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    const payloads = JSON.parse(run.stdout) as { critical: { image: { 'docker-manifest-digest': string } } }[];
    expect(payloads.map((p) => p.critical.image['docker-manifest-digest'])).toEqual([digest]);

    // cosign refuses it with another key, as kc does.
    expect((await cosignVerify(repo, digest, 'kc.pub')).code).not.toBe(0);
  });

  it("kc's signature image is cosign's byte for byte; kc appends to cosign's .sig without breaking it", async () => {
    const repo = repoNamed('appended');
    const digest = await pushArtifact(repo, '1.0.0', 'signed twice');
    await cosignSign(repo, digest, 'kc.key', true);
    const tag = `sha256-${digest.slice(7)}.sig`;
    const byCosign = (await client.getManifest(repo, tag, [OCI_MANIFEST]))!;
    const parsed = JSON.parse(byCosign.bytes.toString());
    const image = buildSignatureImage(parsed.layers);
    expect(image.manifest.toString()).toBe(byCosign.bytes.toString());
    const config = await client.getBlob(repo, parsed.config.digest, 1 << 20);
    expect(image.config.toString()).toBe(config.toString());

    const key = await readPrivateKeyFile(path.join(dir, 'cosign.key'), PASSWORD);
    expect((await signArtifact(client, repo, digest, key)).appended).toBe(true);
    const after = JSON.parse((await client.getManifest(repo, tag, [OCI_MANIFEST]))!.bytes.toString());
    expect(after.layers).toHaveLength(2);
    expect(after.layers[0]).toEqual(parsed.layers[0]);
    for (const pub of ['cosign.pub', 'kc.pub']) expect((await cosignVerify(repo, digest, pub)).code).toBe(0);
  });

  it('kc verifies what cosign sign --key wrote, in the v3 bundle format and the legacy one', async () => {
    const pub = await readPublicKeyFile(path.join(dir, 'cosign.pub'));
    for (const legacy of [false, true]) {
      const repo = repoNamed(legacy ? 'cosign-legacy' : 'cosign-bundle');
      const digest = await pushArtifact(repo, '1.0.0', `cosign signs this (${legacy})`);
      await cosignSign(repo, digest, 'cosign.key', legacy);
      const result = await verifyArtifact(client, repo, digest, [pub]);
      expect(result.valid.map((v) => [v.source, v.format])).toEqual([
        legacy ? ['legacy-tag', 'simple-signing'] : ['fallback-tag', 'bundle'],
      ]);
      const other = await refusal(
        verifyArtifact(client, repo, digest, [await readPublicKeyFile(path.join(dir, 'kc.pub'))]),
      );
      expect(other.code).toBe('SIGNATURE_INVALID');
      expect(other.message).toMatch(/has 1 signature, none valid for key .*kc\.pub$/);
    }
  });

  it('kc refuses an unsigned artifact and one re-pushed under the signed tag', async () => {
    const pub = await readPublicKeyFile(path.join(dir, 'cosign.pub'));
    const repo = repoNamed('tampered');
    const good = await pushArtifact(repo, '1.0.0', 'the published chart');
    await cosignSign(repo, good, 'cosign.key', false);
    await cosignSign(repo, good, 'cosign.key', true);
    expect((await verifyArtifact(client, repo, good, [pub])).valid).toHaveLength(2);

    // Someone with push access replaces the tag: the new digest has no signature of its own.
    const evil = await pushArtifact(repo, '1.0.0', 'a different chart');
    const resolved = (await client.getManifest(repo, '1.0.0', [OCI_MANIFEST]))!.digest;
    expect(resolved).toBe(evil);
    const unsigned = await refusal(verifyArtifact(client, repo, evil, [pub]));
    expect(unsigned.message).toMatch(/is unsigned/);
    expect((await cosignVerify(repo, evil, 'cosign.pub')).code).not.toBe(0);

    // …and copies the old signatures along: they name the old digest.
    const sig = (await client.getManifest(repo, `sha256-${good.slice(7)}.sig`, [OCI_MANIFEST]))!;
    await client.putManifest(repo, `sha256-${evil.slice(7)}.sig`, sig.bytes, OCI_MANIFEST);
    const moved = await refusal(verifyArtifact(client, repo, evil, [pub]));
    expect(moved.code).toBe('SIGNATURE_INVALID');
    expect(moved.message).toContain(`is for ${good}, not ${evil}: the artifact was moved or tampered with`);
    expect((await cosignVerify(repo, evil, 'cosign.pub')).code).not.toBe(0);
  });
});
