import crypto from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { parsePrivateKey, parsePublicKey, type PublicKey, type SigningKey } from '../../../src/oci/cosign-key.js';
import { pae } from '../../../src/oci/dsse.js';
import { buildSignatureImage, signArtifact, verifyArtifact } from '../../../src/oci/signature-store.js';
import type { RegistryClient, RepositoryRef } from '../../../src/oci/types.js';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
import { memoryRegistry } from '../../helpers/memory-registry.js';

const REPO: RepositoryRef = { registry: '127.0.0.1:5000', repository: 'charts/web' };
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const sha256 = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

/** The memory registry's client, with the OCI 1.1 referrers API when asked (computed from stored `subject`s). */
type MemoryRegistry = RegistryClient & { calls: string[]; replaceBlob(digest: string, bytes: Buffer): void };
function registryOf(options: { referrersApi?: boolean } = {}): MemoryRegistry {
  const memory = memoryRegistry();
  const client: MemoryRegistry = {
    ...memory.client,
    calls: memory.calls,
    // A registry that lies: other bytes under a digest.
    replaceBlob: (digest, bytes) => memory.blobs.get(`${REPO.registry}/${REPO.repository}`)!.set(digest, bytes),
  };
  if (options.referrersApi) {
    client.getReferrers = async (repo, digest) => {
      memory.calls.push(`getReferrers ${digest}`);
      const stored = memory.manifests.get(`${repo.registry}/${repo.repository}`) ?? new Map();
      const manifests = [...stored.entries()]
        .filter(([ref, m]) => ref === m.digest && JSON.parse(m.bytes.toString()).subject?.digest === digest)
        .map(([, m]) => {
          const { artifactType, annotations } = JSON.parse(m.bytes.toString());
          return { mediaType: m.mediaType, digest: m.digest, size: m.bytes.length, artifactType, annotations };
        });
      const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
      return { bytes, digest: sha256(bytes), mediaType: OCI_INDEX };
    };
  }
  return client;
}

async function keyPair(name: string): Promise<{ signing: SigningKey; pub: PublicKey }> {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signing = await parsePrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }), { source: `${name}.key` });
  return { signing, pub: parsePublicKey(publicKey.export({ type: 'spki', format: 'pem' }), `${name}.pub`) };
}

/** Pushes a small artifact manifest and returns its digest. */
async function pushArtifact(registry: MemoryRegistry, tag: string, content = 'chart'): Promise<string> {
  const layer = await registry.pushBlob(REPO, Buffer.from(content), 'application/vnd.kc.chart.content.v1.tar+gzip');
  const manifest = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [layer] }),
  );
  return registry.putManifest(REPO, tag, manifest, 'application/vnd.oci.image.manifest.v1+json');
}

/** A signature as cosign v3 stores it: a bundle manifest referring to the digest, listed by the fallback tag. */
async function cosignV3Sign(
  registry: MemoryRegistry,
  digest: string,
  key: SigningKey,
  opts: { subject?: string; predicateType?: string } = {},
): Promise<void> {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: `${REPO.registry}/${REPO.repository}`, digest: { sha256: (opts.subject ?? digest).slice(7) } }],
    predicateType: opts.predicateType ?? 'https://sigstore.dev/cosign/sign/v1',
    predicate: {},
  };
  const body = Buffer.from(JSON.stringify(statement));
  const sig = crypto.sign('sha256', pae('application/vnd.in-toto+json', body), key.privateKey).toString('base64');
  const bundle = Buffer.from(
    JSON.stringify({
      mediaType: BUNDLE,
      verificationMaterial: { publicKey: { hint: key.publicKey.hint } },
      dsseEnvelope: {
        payload: body.toString('base64'),
        payloadType: 'application/vnd.in-toto+json',
        signatures: [{ sig }],
      },
    }),
  );
  const layer = await registry.pushBlob(REPO, bundle, BUNDLE);
  const empty = await registry.pushBlob(REPO, Buffer.from('{}'), 'application/vnd.oci.empty.v1+json');
  const annotations = {
    'dev.sigstore.bundle.content': 'dsse-envelope',
    'dev.sigstore.bundle.predicateType': statement.predicateType,
  };
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: BUNDLE,
      config: { ...empty, artifactType: BUNDLE },
      layers: [{ ...layer, annotations }],
      subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 1 },
      annotations,
    }),
  );
  const manifestDigest = await registry.putManifest(
    REPO,
    sha256(manifest),
    manifest,
    'application/vnd.oci.image.manifest.v1+json',
  );
  const tag = digest.replace(':', '-');
  const old = await registry.getManifest(REPO, tag);
  const manifests = old ? JSON.parse(old.bytes.toString()).manifests : [];
  manifests.push({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: manifestDigest,
    size: manifest.length,
    artifactType: BUNDLE,
    annotations,
  });
  await registry.putManifest(
    REPO,
    tag,
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests })),
    'application/vnd.oci.image.index.v1+json',
  );
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; details: string[] }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; message: string; details: string[] };
  }
  throw new Error('expected SIGNATURE_INVALID');
}

describe('signArtifact', () => {
  it("writes cosign's legacy .sig image: simple-signing layer, signature annotation, ggcr's config", async () => {
    const registry = registryOf();
    const { signing, pub } = await keyPair('cosign');
    const digest = await pushArtifact(registry, '1.0.0');
    const signed = await signArtifact(registry, REPO, digest, signing);
    const tag = `sha256-${digest.slice(7)}.sig`;
    expect(signed).toMatchObject({ reference: `127.0.0.1:5000/charts/web:${tag}`, appended: true });
    const manifest = JSON.parse((await registry.getManifest(REPO, tag))!.bytes.toString());
    const layer = manifest.layers[0];
    const payload = await registry.getBlob(REPO, layer.digest, 1e6);
    expect(payload.toString()).toBe(
      '{"critical":{"identity":{"docker-reference":"127.0.0.1:5000/charts/web"},' +
        `"image":{"docker-manifest-digest":"${digest}"},` +
        '"type":"cosign container image signature"},"optional":null}',
    );
    expect(Object.keys(layer)).toEqual(['mediaType', 'size', 'digest', 'annotations']);
    expect(layer.mediaType).toBe('application/vnd.dev.cosign.simplesigning.v1+json');
    expect(
      crypto.verify(
        'sha256',
        payload,
        pub.key,
        Buffer.from(layer.annotations['dev.cosignproject.cosign/signature'], 'base64'),
      ),
    ).toBe(true);
    const config = await registry.getBlob(REPO, manifest.config.digest, 1e6);
    expect(config.toString()).toBe(
      `{"architecture":"","created":"0001-01-01T00:00:00Z","history":[{"created":"0001-01-01T00:00:00Z"}],"os":"",` +
        `"rootfs":{"type":"layers","diff_ids":["${layer.digest}"]},"config":{}}`,
    );
    expect(manifest.config.mediaType).toBe('application/vnd.oci.image.config.v1+json');
    expect(Object.keys(manifest)).toEqual(['schemaVersion', 'mediaType', 'config', 'layers']);
  });

  it("appends another key's signature, keeps the first as it was, and the same key again adds nothing", async () => {
    const registry = registryOf();
    const a = await keyPair('a');
    const b = await keyPair('b');
    const digest = await pushArtifact(registry, '1.0.0');
    await signArtifact(registry, REPO, digest, a.signing);
    const tag = `sha256-${digest.slice(7)}.sig`;
    const first = JSON.parse((await registry.getManifest(REPO, tag))!.bytes.toString()).layers[0];
    const again = await signArtifact(registry, REPO, digest, a.signing);
    expect(again.appended).toBe(false);
    expect(JSON.parse((await registry.getManifest(REPO, tag))!.bytes.toString()).layers).toEqual([first]);
    expect((await signArtifact(registry, REPO, digest, b.signing)).appended).toBe(true);
    const layers = JSON.parse((await registry.getManifest(REPO, tag))!.bytes.toString()).layers;
    expect(layers).toHaveLength(2);
    expect(layers[0]).toEqual(first);
    const config = JSON.parse(
      (
        await registry.getBlob(
          REPO,
          JSON.parse((await registry.getManifest(REPO, tag))!.bytes.toString()).config.digest,
          1e6,
        )
      ).toString(),
    );
    expect(config.history).toHaveLength(2);
    for (const key of [a.pub, b.pub])
      expect((await verifyArtifact(registry, REPO, digest, [key])).valid[0].signer).toBe(key.source);
  });

  it('builds the same image bytes for the same layers', () => {
    const layers = [
      {
        mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
        size: 3,
        digest: `sha256:${'a'.repeat(64)}`,
        annotations: { x: 'y' },
      },
    ];
    expect(buildSignatureImage(layers)).toEqual(buildSignatureImage(structuredClone(layers)));
  });
});

describe('verifyArtifact', () => {
  it('accepts a kc signature reading two tags and one blob on a registry without the referrers API', async () => {
    const registry = registryOf();
    const { signing, pub } = await keyPair('cosign');
    const digest = await pushArtifact(registry, '1.0.0');
    await signArtifact(registry, REPO, digest, signing);
    registry.calls.length = 0;
    const result = await verifyArtifact(registry, REPO, digest, [pub]);
    expect(result.valid).toEqual([
      {
        source: 'legacy-tag',
        format: 'simple-signing',
        signer: 'cosign.pub',
        where: `sha256-${digest.slice(7)}.sig layer 0`,
      },
    ]);
    const calls = [...registry.calls].sort();
    const tag = `sha256-${digest.slice(7)}.sig`;
    const payloadDigest = JSON.parse((await registry.getManifest(REPO, tag))!.bytes.toString()).layers[0].digest;
    const repo = '127.0.0.1:5000/charts/web';
    expect(calls).toEqual([
      `getBlob ${repo} ${payloadDigest}`,
      `getManifest ${repo} sha256-${digest.slice(7)}`,
      `getManifest ${repo} ${tag}`,
    ]);
  });

  it('refuses an unsigned artifact', async () => {
    const registry = registryOf();
    const { pub } = await keyPair('cosign');
    const digest = await pushArtifact(registry, '1.0.0');
    const err = await failure(verifyArtifact(registry, REPO, digest, [pub]));
    expect([err.code, err.message]).toEqual([
      'SIGNATURE_INVALID',
      `127.0.0.1:5000/charts/web@${digest} is unsigned: no cosign signature of ${digest} in the registry`,
    ]);
  });

  it('refuses a signature by another key, naming the key it tried', async () => {
    const registry = registryOf();
    const a = await keyPair('a');
    const other = await keyPair('other');
    const digest = await pushArtifact(registry, '1.0.0');
    await signArtifact(registry, REPO, digest, a.signing);
    const err = await failure(verifyArtifact(registry, REPO, digest, [other.pub]));
    expect(err.message).toBe(`127.0.0.1:5000/charts/web@${digest} has 1 signature, none valid for key other.pub`);
    expect((await verifyArtifact(registry, REPO, digest, [other.pub, a.pub])).valid[0].signer).toBe('a.pub');
  });

  it('refuses a tampered payload (the layer swapped, the signature kept)', async () => {
    const registry = registryOf();
    const { signing, pub } = await keyPair('cosign');
    const digest = await pushArtifact(registry, '1.0.0');
    await signArtifact(registry, REPO, digest, signing);
    const tag = `sha256-${digest.slice(7)}.sig`;
    const manifest = JSON.parse((await registry.getManifest(REPO, tag))!.bytes.toString());
    const payload = await registry.getBlob(REPO, manifest.layers[0].digest, 1e6);
    const forged = Buffer.from(payload.toString().replace('"optional":null', '"optional":{"x":"y"}'));
    const layer = await registry.pushBlob(REPO, forged, manifest.layers[0].mediaType);
    manifest.layers[0] = { ...manifest.layers[0], digest: layer.digest, size: layer.size };
    await registry.putManifest(REPO, tag, Buffer.from(JSON.stringify(manifest)), manifest.mediaType);
    const err = await failure(verifyArtifact(registry, REPO, digest, [pub]));
    expect(err.message).toBe(`127.0.0.1:5000/charts/web@${digest} has 1 signature, none valid for key cosign.pub`);
  });

  it('refuses a signature of another digest (the tag moved to other content, the old .sig copied along)', async () => {
    const registry = registryOf();
    const { signing, pub } = await keyPair('cosign');
    const good = await pushArtifact(registry, '1.0.0', 'good');
    await signArtifact(registry, REPO, good, signing);
    const evil = await pushArtifact(registry, '1.0.0', 'evil');
    const sig = await registry.getManifest(REPO, `sha256-${good.slice(7)}.sig`);
    await registry.putManifest(REPO, `sha256-${evil.slice(7)}.sig`, sig!.bytes, sig!.mediaType);
    const err = await failure(verifyArtifact(registry, REPO, evil, [pub]));
    expect(err.message).toBe(
      `127.0.0.1:5000/charts/web@${evil}: the signature by key cosign.pub is for ${good}, not ${evil}: ` +
        'the artifact was moved or tampered with',
    );
  });

  it('accepts cosign v3 bundles through the fallback tag and through the referrers API', async () => {
    for (const referrersApi of [false, true]) {
      const registry = registryOf({ referrersApi });
      const { signing, pub } = await keyPair('cosign');
      const digest = await pushArtifact(registry, '1.0.0');
      await cosignV3Sign(registry, digest, signing);
      const result = await verifyArtifact(registry, REPO, digest, [pub]);
      // Through the API the same bundle is also listed by the fallback tag: it counts once.
      expect(result.valid.map((v) => [v.source, v.format])).toEqual([
        [referrersApi ? 'referrers' : 'fallback-tag', 'bundle'],
      ]);
    }
  });

  it('refuses bundles by another key, of another subject or tampered; an attestation is no signature', async () => {
    const { signing, pub } = await keyPair('cosign');
    const other = await keyPair('other');
    const cases: [string, (r: MemoryRegistry, d: string) => Promise<void>, RegExp][] = [
      ['other key', (r, d) => cosignV3Sign(r, d, other.signing), /has 1 signature, none valid for key cosign.pub$/],
      [
        'other subject',
        (r, d) => cosignV3Sign(r, d, signing, { subject: `sha256:${'b'.repeat(64)}` }),
        new RegExp(`is for sha256:${'b'.repeat(64)}, not sha256:`),
      ],
      [
        'attestation',
        (r, d) => cosignV3Sign(r, d, signing, { predicateType: 'https://slsa.dev/provenance/v1' }),
        /is unsigned/,
      ],
      [
        'tampered',
        async (r, d) => {
          await cosignV3Sign(r, d, signing);
          const index = JSON.parse((await r.getManifest(REPO, d.replace(':', '-')))!.bytes.toString());
          const m = JSON.parse((await r.getManifest(REPO, index.manifests[0].digest))!.bytes.toString());
          const bundle = JSON.parse((await r.getBlob(REPO, m.layers[0].digest, 1e6)).toString());
          const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString());
          statement.subject.push({ name: 'x', digest: { sha256: 'c'.repeat(64) } });
          bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
          r.replaceBlob(m.layers[0].digest, Buffer.from(JSON.stringify(bundle)));
        },
        /has 1 signature, none valid/,
      ],
    ];
    for (const [name, sign, message] of cases) {
      const registry = registryOf();
      const digest = await pushArtifact(registry, '1.0.0');
      await sign(registry, digest);
      const err = await failure(verifyArtifact(registry, REPO, digest, [pub]));
      expect([name, err.code]).toEqual([name, 'SIGNATURE_INVALID']);
      expect(err.message).toMatch(message);
    }
  });

  it('accepts the artifact when one of several signatures (bundle or legacy) is by the key', async () => {
    const registry = registryOf();
    const a = await keyPair('a');
    const b = await keyPair('b');
    const digest = await pushArtifact(registry, '1.0.0');
    await cosignV3Sign(registry, digest, a.signing);
    await signArtifact(registry, REPO, digest, b.signing);
    expect((await verifyArtifact(registry, REPO, digest, [b.pub])).valid.map((v) => v.source)).toEqual(['legacy-tag']);
    expect((await verifyArtifact(registry, REPO, digest, [a.pub])).valid.map((v) => v.source)).toEqual([
      'fallback-tag',
    ]);
  });
});
