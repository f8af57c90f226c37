// The OCI artifact of a published environment: Flux's media types and annotations, go-containerregistry's bytes,
// a deterministic created time, pushed under the environment's tag and signed on request.
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, test } from '@jest/globals';
import { isKcError } from '../../../src/errors/index.js';
import { publishLayout } from '../../../src/gitops/publish-layout.js';
import {
  buildFluxArtifact,
  createdTime,
  pushFluxArtifact,
  KC_RELEASES_ANNOTATION,
} from '../../../src/gitops/publish.js';
import { FLUX_CONFIG_MEDIA_TYPE, FLUX_CONTENT_MEDIA_TYPE } from '../../../src/gitops/types.js';
import { parsePrivateKey, parsePublicKey } from '../../../src/oci/cosign-key.js';
import { verifyArtifact } from '../../../src/oci/signature-store.js';
import { memoryRegistry } from '../../helpers/memory-registry.js';

const sha256 = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;
const REPO = { registry: '127.0.0.1:5000', repository: 'fleet/shop' };
const META = { project: 'shop', env: 'prod', created: '1970-01-01T00:00:00Z' };

const layout = (data = '1') =>
  publishLayout(
    [
      {
        name: 'db',
        dependsOn: [],
        objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'db' }, data: { a: data } }],
      },
      { name: 'web', dependsOn: ['db'], objects: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } }] },
    ],
    { namespace: 'prod' },
  );

describe('createdTime', () => {
  test('the Unix epoch by default (flux push --reproducible), SOURCE_DATE_EPOCH when set', () => {
    expect(createdTime({})).toBe('1970-01-01T00:00:00Z');
    expect(createdTime({ SOURCE_DATE_EPOCH: '' })).toBe('1970-01-01T00:00:00Z');
    expect(createdTime({ SOURCE_DATE_EPOCH: '1733443200' })).toBe('2024-12-06T00:00:00Z');
  });

  test('a SOURCE_DATE_EPOCH that is not whole seconds is a usage error', () => {
    const err = (() => {
      try {
        return createdTime({ SOURCE_DATE_EPOCH: '2024-12-06' });
      } catch (e) {
        return e;
      }
    })();
    expect(isKcError(err) && err.code).toBe('USAGE');
    expect((err as Error).message).toContain('SOURCE_DATE_EPOCH');
  });
});

describe('buildFluxArtifact', () => {
  test("the manifest of `flux push artifact`: Flux's config and one content layer, no artifactType", async () => {
    const artifact = buildFluxArtifact(await layout(), META);
    const manifest = JSON.parse(artifact.manifest.toString());
    expect(Object.keys(manifest)).toEqual(['schemaVersion', 'mediaType', 'config', 'layers', 'annotations']);
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(manifest.artifactType).toBeUndefined();
    expect(manifest.config).toEqual({
      mediaType: FLUX_CONFIG_MEDIA_TYPE,
      size: artifact.config.length,
      digest: sha256(artifact.config),
    });
    const tar = zlib.gunzipSync(artifact.layer);
    expect(manifest.layers).toEqual([
      {
        mediaType: FLUX_CONTENT_MEDIA_TYPE,
        size: artifact.layer.length,
        digest: sha256(artifact.layer),
        // Only for `oras pull` (unpack into the current folder); Flux ignores layer annotations.
        annotations: {
          'io.deis.oras.content.digest': sha256(tar),
          'io.deis.oras.content.unpack': 'true',
          'org.opencontainers.image.title': '.',
        },
      },
    ]);
    expect(artifact.digest).toBe(sha256(artifact.manifest));
  });

  test('annotations: created, source, revision (env@layer digest), and the project, env and releases', async () => {
    const artifact = buildFluxArtifact(await layout(), META);
    const { annotations } = JSON.parse(artifact.manifest.toString());
    expect(Object.keys(annotations)).toEqual([...Object.keys(annotations)].sort());
    expect(annotations).toMatchObject({
      'org.opencontainers.image.created': '1970-01-01T00:00:00Z',
      'org.opencontainers.image.source': 'kc://shop/prod',
      'org.opencontainers.image.revision': `prod@${sha256(artifact.layer)}`,
      'dev.kc.project': 'shop',
      'dev.kc.environment': 'prod',
    });
    expect(JSON.parse(annotations[KC_RELEASES_ANNOTATION])).toEqual([
      { name: 'db', namespace: 'prod', path: './db', dependsOn: [] },
      { name: 'web', namespace: 'prod', path: './web', dependsOn: ['db'] },
    ]);
  });

  test("the config is go-containerregistry's image config: the tar's digest as diff id, the created time", async () => {
    const artifact = buildFluxArtifact(await layout(), META);
    const tar = zlib.gunzipSync(artifact.layer);
    expect(artifact.config.toString()).toBe(
      `{"architecture":"","created":"1970-01-01T00:00:00Z","history":[{"created":"1970-01-01T00:00:00Z"}],"os":"",` +
        `"rootfs":{"type":"layers","diff_ids":["${sha256(tar)}"]},"config":{}}`,
    );
  });

  test('same inputs, same digest; another value, another created time or another env, another digest', async () => {
    const first = buildFluxArtifact(await layout(), META);
    expect(buildFluxArtifact(await layout(), META).digest).toBe(first.digest);
    expect(buildFluxArtifact(await layout('2'), META).digest).not.toBe(first.digest);
    expect(buildFluxArtifact(await layout(), { ...META, created: '2024-12-06T00:00:00Z' }).digest).not.toBe(
      first.digest,
    );
    expect(buildFluxArtifact(await layout(), { ...META, env: 'staging' }).digest).not.toBe(first.digest);
  });
});

describe('pushFluxArtifact', () => {
  test("pushes config, layer and manifest under the environment's tag; returns the PublishedEnvironment", async () => {
    const registry = memoryRegistry();
    const published = await pushFluxArtifact(await layout(), META, { client: registry.client, repository: REPO });
    expect(registry.calls).toEqual([
      `pushBlob 127.0.0.1:5000/fleet/shop ${FLUX_CONFIG_MEDIA_TYPE}`,
      `pushBlob 127.0.0.1:5000/fleet/shop ${FLUX_CONTENT_MEDIA_TYPE}`,
      'putManifest 127.0.0.1:5000/fleet/shop prod',
    ]);
    expect(published).toMatchObject({
      project: 'shop',
      env: 'prod',
      repository: 'oci://127.0.0.1:5000/fleet/shop',
      tag: 'prod',
      signed: false,
    });
    expect(published.digest).toBe(buildFluxArtifact(await layout(), META).digest);
    expect(registry.manifests.get('127.0.0.1:5000/fleet/shop')!.get('prod')!.digest).toBe(published.digest);
    expect(published.releases.map((r) => r.name)).toEqual(['db', 'web']);
  });

  test('signs the pushed digest with the key: verifyArtifact accepts it with the public key', async () => {
    const registry = memoryRegistry();
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = await parsePrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }), { source: 'cosign.key' });
    const published = await pushFluxArtifact(await layout(), META, { client: registry.client, repository: REPO, key });
    expect(published.signed).toBe(true);
    const pub = parsePublicKey(publicKey.export({ type: 'spki', format: 'pem' }), 'cosign.pub');
    await expect(verifyArtifact(registry.client, REPO, published.digest, [pub])).resolves.toBeDefined();
  });

  test('a registry that stores other bytes than those sent is refused (INTEGRITY_MISMATCH)', async () => {
    const registry = memoryRegistry();
    const client = { ...registry.client, putManifest: async () => `sha256:${'0'.repeat(64)}` };
    const err = await pushFluxArtifact(await layout(), META, { client, repository: REPO }).catch((e: unknown) => e);
    expect(isKcError(err) && err.code).toBe('INTEGRITY_MISMATCH');
  });
});
