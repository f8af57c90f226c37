// The registry client and chart push/pull against the REAL CNCF distribution registry (v3, 127.0.0.1): push, pull by
// tag, range and digest, reproducible digests, the manifest served byte for byte, htpasswd and token auth, TLS from a
// throwaway CA, and oras reading what kc pushed.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { isKcError } from '../../src/errors/index.js';
import { chartManifestJson } from '../../src/oci/chart-manifest.js';
import { pullChart, readChartConfig, resolveChart } from '../../src/oci/chart-pull.js';
import { pushChart } from '../../src/oci/chart-push.js';
import {
  HELM_CONFIG_MEDIA_TYPE, HELM_CONTENT_MEDIA_TYPE, KC_ARTIFACT_TYPE, KC_CONFIG_MEDIA_TYPE, KC_CONTENT_MEDIA_TYPE,
  OCI_MANIFEST,
} from '../../src/oci/media-types.js';
import { parseOciReference } from '../../src/oci/reference.js';
import { checkLogin, registryClient } from '../../src/oci/registry-client.js';
import type { CredentialStore, RegistryConnection, RegistryCredentials } from '../../src/oci/types.js';
import { chartArtifact } from '../helpers/chart-artifact.js';
import { startRegistry, toolPath, type TestRegistry } from '../helpers/oci-registry.js';

const none: CredentialStore = { get: async () => undefined };
const storeOf = (host: string, creds: RegistryCredentials): CredentialStore => ({
  get: async (registry) => (registry === host ? creds : undefined),
});
const sha = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await promise;
  } catch (err) {
    if (isKcError(err)) return { code: err.code, message: err.message, hint: err.hint };
    throw err;
  }
  throw new Error('expected a KcError');
}

describe('anonymous plain-HTTP registry', () => {
  let reg: TestRegistry;
  const plain: RegistryConnection = { plainHttp: true };
  beforeAll(async () => {
    reg = await startRegistry();
  });
  afterAll(async () => {
    await reg?.stop();
  });

  test('push, pull by tag: the same .tgz, the config with the values schema, the manifest byte for byte', async () => {
    const client = registryClient({ connection: plain, credentials: none });
    const { archive, opened } = await chartArtifact('mysql', '1.0.0');
    const pushed = await pushChart(client, { registry: reg.host, repository: 'charts' }, archive, opened);
    expect(pushed.reference).toBe(`oci://${reg.host}/charts/mysql:1.0.0`);
    expect(pushed.tag).toBe('1.0.0');

    const resolved = await resolveChart(client, parseOciReference(pushed.reference));
    expect(resolved.digest).toBe(pushed.digest);
    expect(resolved.config).toMatchObject({ name: 'mysql', version: '1.0.0', values: { defaults: { replicas: 1 } } });
    const { archive: pulled } = await pullChart(client, resolved);
    expect(pulled.equals(archive)).toBe(true);

    // What the registry serves is exactly what kc built (no re-serialization anywhere).
    const res = await fetch(`${reg.url}/v2/charts/mysql/manifests/1.0.0`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    const served = Buffer.from(await res.arrayBuffer());
    expect(sha(served)).toBe(pushed.digest);
    const parsed = JSON.parse(served.toString());
    expect(parsed.artifactType).toBe(KC_ARTIFACT_TYPE);
    expect(parsed.config.mediaType).toBe(KC_CONFIG_MEDIA_TYPE);
    expect(parsed.layers).toHaveLength(1);
    expect(parsed.layers[0]).toMatchObject({
      mediaType: KC_CONTENT_MEDIA_TYPE,
      digest: sha(archive),
      annotations: { 'org.opencontainers.image.title': 'mysql-1.0.0.tgz' },
    });
    expect(
      served.equals(
        chartManifestJson({
          name: 'mysql',
          version: '1.0.0',
          description: 'the mysql chart',
          config: parsed.config,
          layer: parsed.layers[0],
        }),
      ),
    ).toBe(true);
    const config = await readChartConfig(client, parseOciReference(`oci://${reg.host}/charts/mysql:1.0.0`));
    expect(config.values.schema).toEqual({ type: 'object', properties: { replicas: { type: 'integer' } } });
  });

  test('the same inputs give the same digest, in another repository too', async () => {
    const client = registryClient({ connection: plain, credentials: none });
    const a = await chartArtifact('same', '2.0.0');
    const b = await chartArtifact('same', '2.0.0');
    const first = await pushChart(client, { registry: reg.host, repository: 'one' }, a.archive, a.opened);
    const second = await pushChart(client, { registry: reg.host, repository: 'two/deeper' }, b.archive, b.opened);
    expect(second.digest).toBe(first.digest);
    const again = await pushChart(client, { registry: reg.host, repository: 'one' }, a.archive, a.opened);
    expect(again.digest).toBe(first.digest);
  });

  test('by semver range over the tags (stable unless asked; _ read as +; others ignored), by digest', async () => {
    const client = registryClient({ connection: plain, credentials: none });
    const repo = { registry: reg.host, repository: 'ranges' };
    for (const version of ['1.0.0', '1.2.0', '1.3.0', '2.0.0-rc.1']) {
      const { archive, opened } = await chartArtifact('app', version);
      await pushChart(client, repo, archive, opened);
    }
    const app = { ...repo, repository: 'ranges/app' };
    // Tags another tool pushed: a version with build metadata (`+` written `_`), and tags that are no versions.
    const manifest = (await client.getManifest(app, '1.3.0'))!;
    for (const tag of ['1.4.0_build.5', 'latest', 'v9.0.0'])
      await client.putManifest(app, tag, manifest.bytes, manifest.mediaType);
    const ref = parseOciReference(`oci://${reg.host}/ranges/app`);
    expect((await resolveChart(client, ref, '^1.0.0')).tag).toBe('1.4.0_build.5');
    expect((await resolveChart(client, ref, '~1.2')).config.version).toBe('1.2.0');
    expect((await resolveChart(client, ref)).tag).toBe('1.4.0_build.5');
    expect((await resolveChart(client, ref, '>=2.0.0-0')).tag).toBe('2.0.0-rc.1');
    expect((await resolveChart(client, ref, '1.4.0+build.5')).tag).toBe('1.4.0_build.5');
    expect((await resolveChart(client, ref, '1.3.0')).config.version).toBe('1.3.0');
    expect(await codeOf(resolveChart(client, ref, '^3.0.0'))).toMatchObject({ code: 'CHART_NOT_FOUND' });
    expect(await codeOf(resolveChart(client, ref, 'latest'))).toMatchObject({ code: 'USAGE' });

    const byTag = await resolveChart(client, ref, '1.2.0');
    const byDigest = await resolveChart(client, { ...ref, digest: byTag.digest });
    expect(byDigest.manifest.bytes.equals(byTag.manifest.bytes)).toBe(true);
    expect((await pullChart(client, byDigest)).config.version).toBe('1.2.0');
    const missing = `sha256:${'0'.repeat(64)}`;
    expect(await codeOf(resolveChart(client, { ...ref, digest: missing }))).toMatchObject({ code: 'CHART_NOT_FOUND' });
  });

  test('a repository or tag that does not exist is CHART_NOT_FOUND', async () => {
    const client = registryClient({ connection: plain, credentials: none });
    const err = await codeOf(resolveChart(client, parseOciReference(`oci://${reg.host}/nothing/here`), '^1'));
    expect(err.code).toBe('CHART_NOT_FOUND');
    expect(await codeOf(resolveChart(client, parseOciReference(`oci://${reg.host}/charts/mysql:9.9.9`)))).toMatchObject(
      { code: 'CHART_NOT_FOUND' },
    );
  });

  test('https to a plain-HTTP registry is TLS_FAILED with a --plain-http hint', async () => {
    const client = registryClient({ connection: {}, credentials: none });
    const err = await codeOf(client.listTags({ registry: reg.host, repository: 'charts/mysql' }));
    expect(err.code).toBe('TLS_FAILED');
    expect(err.hint).toContain('--plain-http');
  });

  test('a Helm chart and a container image in the registry are ARTIFACT_INVALID saying what they are', async () => {
    const client = registryClient({ connection: plain, credentials: none });
    const repo = { registry: reg.host, repository: 'others/thing' };
    const chartYaml = Buffer.from('{"name":"thing","version":"1.0.0"}');
    const config = await client.pushBlob(repo, chartYaml, HELM_CONFIG_MEDIA_TYPE);
    const layer = await client.pushBlob(repo, Buffer.from('not really a tgz'), HELM_CONTENT_MEDIA_TYPE);
    const helm = { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] };
    await client.putManifest(repo, 'helm', Buffer.from(JSON.stringify(helm)), OCI_MANIFEST);
    const image = { ...helm, config: { ...config, mediaType: 'application/vnd.oci.image.config.v1+json' } };
    await client.putManifest(repo, 'image', Buffer.from(JSON.stringify(image)), OCI_MANIFEST);
    const ref = parseOciReference(`oci://${reg.host}/others/thing`);
    const helmErr = await codeOf(resolveChart(client, { ...ref, tag: 'helm' }));
    expect(helmErr).toMatchObject({ code: 'ARTIFACT_INVALID' });
    expect(helmErr.message).toContain('is a Helm chart, not a kc chart');
    expect(helmErr.hint).toContain('helm template');
    const imageErr = await codeOf(resolveChart(client, { ...ref, tag: 'image' }));
    expect(imageErr.message).toContain('is a container image, not a kc chart');
  });

  test('oras manifest fetch and oras pull read what kc pushed', async () => {
    const oras = toolPath('oras');
    const client = registryClient({ connection: plain, credentials: none });
    const { archive, opened } = await chartArtifact('orasread', '0.1.0');
    const pushed = await pushChart(client, { registry: reg.host, repository: 'interop' }, archive, opened);
    const target = `${reg.host}/interop/orasread:0.1.0`;
    const manifest = execFileSync(oras, ['manifest', 'fetch', '--plain-http', target], { timeout: 30_000 });
    expect(sha(manifest)).toBe(pushed.digest);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-oras-'));
    try {
      execFileSync(oras, ['pull', '--plain-http', '-o', dir, target], { timeout: 30_000, stdio: 'pipe' });
      expect(fs.readFileSync(path.join(dir, 'orasread-0.1.0.tgz')).equals(archive)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('htpasswd (Basic) registry', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'htpasswd' });
  });
  afterAll(async () => {
    await reg?.stop();
  });

  test('push and pull with the password; none or a wrong one is REGISTRY_AUTH_FAILED, the secret unsaid', async () => {
    const creds: RegistryCredentials = { kind: 'basic', username: reg.username!, password: reg.password! };
    const client = registryClient({ connection: { plainHttp: true }, credentials: storeOf(reg.host, creds) });
    const { archive, opened } = await chartArtifact('secure', '1.0.0');
    const pushed = await pushChart(client, { registry: reg.host, repository: 'c' }, archive, opened);
    const resolved = await resolveChart(client, parseOciReference(pushed.reference));
    expect((await pullChart(client, resolved)).archive.equals(archive)).toBe(true);
    await checkLogin({ plainHttp: true }, reg.host, storeOf(reg.host, creds));

    const anonymous = registryClient({ connection: { plainHttp: true }, credentials: none });
    const err = await codeOf(resolveChart(anonymous, parseOciReference(pushed.reference)));
    expect(err).toMatchObject({ code: 'REGISTRY_AUTH_FAILED' });
    expect(err.hint).toContain(`kc registry login ${reg.host}`);
    const wrong = storeOf(reg.host, { kind: 'basic', username: reg.username!, password: 'not-the-password' });
    const bad = await codeOf(checkLogin({ plainHttp: true }, reg.host, wrong));
    expect(bad.code).toBe('REGISTRY_AUTH_FAILED');
    expect(`${bad.message} ${bad.hint}`).not.toContain('not-the-password');
  });
});

describe('token-auth registry over TLS from a throwaway CA', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'token', tls: true });
  });
  afterAll(async () => {
    await reg?.stop();
  });

  test('the token flow with Basic credentials: push then pull, one token per scope reused', async () => {
    const creds: RegistryCredentials = { kind: 'basic', username: reg.username!, password: reg.password! };
    const connection = { ca: reg.caPem! };
    const client = registryClient({ connection, credentials: storeOf(reg.host, creds) });
    const { archive, opened } = await chartArtifact('tokened', '1.0.0');
    const pushed = await pushChart(client, { registry: reg.host, repository: 'team' }, archive, opened);
    const pushTokens = reg.tokenRequests!.length;
    // Three blobs and a manifest were sent with one push token (cached for its lifetime).
    expect(pushTokens).toBe(1);
    expect(reg.tokenRequests![0]).toMatchObject({ scopes: ['repository:team/tokened:pull,push'], authenticated: true });
    const resolved = await resolveChart(client, parseOciReference(pushed.reference));
    expect((await pullChart(client, resolved)).archive.equals(archive)).toBe(true);
    expect(reg.tokenRequests!.length).toBe(pushTokens + 1);
    await checkLogin(connection, reg.host, storeOf(reg.host, creds));
  });

  test('TLS: an unknown CA is TLS_FAILED with --ca-file in the hint; --insecure-skip-tls-verify connects', async () => {
    const creds: RegistryCredentials = { kind: 'basic', username: reg.username!, password: reg.password! };
    const wrongCa = registryClient({ connection: { ca: reg.otherCaPem! }, credentials: storeOf(reg.host, creds) });
    const err = await codeOf(wrongCa.listTags({ registry: reg.host, repository: 'team/tokened' }));
    expect(err.code).toBe('TLS_FAILED');
    expect(err.hint).toContain('--ca-file');
    const skip = registryClient({ connection: { insecureSkipTlsVerify: true }, credentials: none });
    // Reached over TLS without verification: the registry answers, and anonymous access is refused.
    expect(await codeOf(skip.listTags({ registry: reg.host, repository: 'team/tokened' }))).toMatchObject({
      code: 'REGISTRY_AUTH_FAILED',
    });
  });
});

describe('token-auth registry with anonymous pull', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'token', token: { anonymousPull: true } });
  });
  afterAll(async () => {
    await reg?.stop();
  });

  test('anonymous pull works (anonymous token); anonymous push is REGISTRY_AUTH_FAILED naming the login', async () => {
    const creds: RegistryCredentials = { kind: 'basic', username: reg.username!, password: reg.password! };
    const writer = registryClient({ connection: { plainHttp: true }, credentials: storeOf(reg.host, creds) });
    const { archive, opened } = await chartArtifact('public', '1.0.0');
    const pushed = await pushChart(writer, { registry: reg.host, repository: 'pub' }, archive, opened);
    const anonymous = registryClient({ connection: { plainHttp: true }, credentials: none });
    const resolved = await resolveChart(anonymous, parseOciReference(pushed.reference));
    expect((await pullChart(anonymous, resolved)).archive.equals(archive)).toBe(true);
    expect(reg.tokenRequests!.some((r) => r.account === undefined && r.granted.length > 0)).toBe(true);
    const err = await codeOf(pushChart(anonymous, { registry: reg.host, repository: 'pub' }, archive, opened));
    expect(err.code).toBe('REGISTRY_AUTH_FAILED');
    expect(err.hint).toContain(`kc registry login ${reg.host}`);
  });
});
