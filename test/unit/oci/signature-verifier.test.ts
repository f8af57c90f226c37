// keyVerifier and discovery against the bytes the real cosign v3.1.3 wrote (test/fixtures/cosign/README.md).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parsePrivateKey, parsePublicKey } from '../../../src/oci/cosign-key.js';
import { buildSignatureImage, verifyArtifact } from '../../../src/oci/signature-store.js';
import { keyVerifier, type FoundSignature } from '../../../src/oci/signature-verifier.js';
import type { RepositoryRef } from '../../../src/oci/types.js';
import { repoRoot } from '../../helpers/run-cli.js';
import { memoryRegistry } from '../../helpers/memory-registry.js';

const fixture = (name: string) => fs.readFileSync(path.join(repoRoot, 'test/fixtures/cosign', name));
const DIGEST = 'sha256:52b87bc37ac3dece8ac4e4bd462764da1a6cd62aadd391798f785dc710321981';
const OTHER = `sha256:${'0'.repeat(64)}`;
const REPO: RepositoryRef = { registry: '127.0.0.1:36599', repository: 'charts/fixture' };
const pub = parsePublicKey(fixture('cosign.pub'), 'cosign.pub');
const otherPub = parsePublicKey(
  crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }),
  'other.pub',
);
const bundle: FoundSignature = { format: 'bundle', source: 'fallback-tag', where: 'b', bundle: fixture('bundle.json') };
const sigLayer = JSON.parse(fixture('sig-manifest.json').toString()).layers[0];
const legacy: FoundSignature = {
  format: 'simple-signing',
  source: 'legacy-tag',
  where: 'l',
  payload: fixture('payload.json'),
  signature: sigLayer.annotations['dev.cosignproject.cosign/signature'],
  annotations: sigLayer.annotations,
};

describe("keyVerifier on cosign's own signatures", () => {
  it('reads the encrypted key cosign wrote; its hint is the one cosign put in the bundle', async () => {
    const key = await parsePrivateKey(fixture('cosign.key'), { source: 'cosign.key', password: 'kc-test-fixture' });
    expect(key.publicKey.hint).toBe(pub.hint);
    expect(JSON.parse(fixture('bundle.json').toString()).verificationMaterial.publicKey.hint).toBe(pub.hint);
  });

  it('accepts the v3 bundle and the legacy signature for their digest, by their key only', () => {
    const verifier = keyVerifier([pub]);
    for (const found of [bundle, legacy]) {
      expect(verifier.verify(found, DIGEST)).toEqual({ status: 'valid', signer: 'cosign.pub' });
      expect(verifier.verify(found, OTHER)).toEqual({
        status: 'digest-mismatch',
        claimed: DIGEST,
        signer: 'cosign.pub',
      });
      expect(keyVerifier([otherPub]).verify(found, DIGEST)).toEqual({ status: 'untrusted' });
    }
    expect(keyVerifier([otherPub, pub]).describe).toBe('keys other.pub, cosign.pub');
  });

  it('refuses the bundle or the payload changed by one byte', () => {
    const verifier = keyVerifier([pub]);
    const json = JSON.parse(fixture('bundle.json').toString());
    const sig = Buffer.from(json.dsseEnvelope.signatures[0].sig, 'base64');
    sig[sig.length - 1] ^= 1;
    json.dsseEnvelope.signatures[0].sig = sig.toString('base64');
    expect(verifier.verify({ ...bundle, bundle: Buffer.from(JSON.stringify(json)) }, DIGEST)).toEqual({
      status: 'untrusted',
    });
    const payload = Buffer.from(fixture('payload.json').toString().replace('"optional":null', '"optional":{}'));
    expect(verifier.verify({ ...legacy, payload }, DIGEST)).toEqual({ status: 'untrusted' });
  });

  it("rebuilds cosign's .sig manifest byte for byte from its layers", () => {
    const manifest = fixture('sig-manifest.json');
    expect(buildSignatureImage(JSON.parse(manifest.toString()).layers).manifest.toString()).toBe(manifest.toString());
  });

  it("finds both through cosign's fallback index (artifactType only, no annotations) and its .sig tag", async () => {
    const memory = memoryRegistry();
    const c = memory.client;
    const oci = 'application/vnd.oci.image.manifest.v1+json';
    await c.pushBlob(REPO, fixture('bundle.json'), 'application/vnd.dev.sigstore.bundle.v0.3+json');
    await c.pushBlob(REPO, fixture('payload.json'), 'application/vnd.dev.cosign.simplesigning.v1+json');
    const bundleManifest = fixture('bundle-manifest.json');
    const bundleDigest = `sha256:${crypto.createHash('sha256').update(bundleManifest).digest('hex')}`;
    await c.putManifest(REPO, bundleDigest, bundleManifest, oci);
    const hex = DIGEST.slice(7);
    await c.putManifest(REPO, `sha256-${hex}`, fixture('index.json'), 'application/vnd.oci.image.index.v1+json');
    await c.putManifest(REPO, `sha256-${hex}.sig`, fixture('sig-manifest.json'), oci);
    const result = await verifyArtifact(c, REPO, DIGEST, [pub]);
    expect(result.valid.map((v) => v.source)).toEqual(['fallback-tag', 'legacy-tag']);
    await expect(verifyArtifact(c, REPO, DIGEST, [otherPub])).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
      message: `127.0.0.1:36599/charts/fixture@${DIGEST} has 2 signatures, none valid for key other.pub`,
    });
  });
});
