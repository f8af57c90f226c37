// oci:// charts where a chart is accepted: the reference and digest a release records, the signature gate that runs
// before the chart is downloaded, and the unpacked-artifact cache.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { describeOciChart, fetchOciChart, openOciChart } from '../../../src/oci/chart-source.js';
import { pushChart } from '../../../src/oci/chart-push.js';
import { parsePrivateKey, generateKeyPair } from '../../../src/oci/cosign-key.js';
import { signArtifact } from '../../../src/oci/signature-store.js';
import type { SourceContext } from '../../../src/repo/chart-source.js';
import { chartArtifact } from '../../helpers/chart-artifact.js';
import { memoryRegistry, type MemoryRegistry } from '../../helpers/memory-registry.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-oci-source-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const REPO = { registry: 'registry.test', repository: 'charts' };

async function published(name = 'app', version = '1.0.0', mem: MemoryRegistry = memoryRegistry()) {
  const { archive, opened } = await chartArtifact(name, version);
  const pushed = await pushChart(mem.client, REPO, archive, opened);
  return { mem, pushed, archive };
}

let n = 0;
/** A context with its own cache and the memory registry in place of the network. */
function context(mem: MemoryRegistry, registry: SourceContext['registry'] = {}): SourceContext {
  const cacheDir = path.join(dir, `cache-${n++}`);
  return {
    cwd: dir,
    cacheDir,
    configDir: path.join(dir, 'config'),
    registry,
    http: { fetch: () => Promise.reject(new Error('no HTTP here')) },
    openRegistry: () => mem.client,
  };
}

const layerReads = (mem: MemoryRegistry, layer: string) =>
  mem.calls.filter((c) => c === `getBlob registry.test/charts/app ${layer}`);

describe('oci:// chart sources', () => {
  test('a release records the tag it resolved to and the manifest digest', async () => {
    const { mem, pushed } = await published();
    const byRange = await fetchOciChart(context(mem), 'oci://registry.test/charts/app', '^1');
    expect(byRange.origin).toEqual({ source: 'oci://registry.test/charts/app:1.0.0', digest: pushed.digest });
    const byDigest = await fetchOciChart(context(mem), `oci://registry.test/charts/app@${pushed.digest}`);
    expect(byDigest.origin).toEqual({
      source: `oci://registry.test/charts/app@${pushed.digest}`,
      digest: pushed.digest,
    });
  });

  test('a tag and --version together are refused', async () => {
    const { mem } = await published();
    await expect(fetchOciChart(context(mem), 'oci://registry.test/charts/app:1.0.0', '2.0.0')).rejects.toMatchObject({
      code: 'USAGE',
    });
  });

  test('an unpacked chart is not downloaded again; the manifest is still read (a tag may move)', async () => {
    const { mem, pushed, archive } = await published();
    const ctx = context(mem);
    const first = await openOciChart(ctx, 'oci://registry.test/charts/app:1.0.0');
    expect(first.origin?.digest).toBe(pushed.digest);
    const layer = `sha256:${first.digest}`;
    expect(first.digest).toBe(crypto.createHash('sha256').update(archive).digest('hex'));
    expect(layerReads(mem, layer)).toHaveLength(1);
    await openOciChart(ctx, 'oci://registry.test/charts/app:1.0.0');
    expect(layerReads(mem, layer)).toHaveLength(1);
    expect(mem.calls.filter((c) => c.startsWith('getManifest'))).toHaveLength(2);
  });

  test('with --verify, an unsigned chart is refused before its archive is downloaded', async () => {
    const { mem } = await published();
    const keys = await generateKeyPair('pw');
    fs.writeFileSync(path.join(dir, 'k.pub'), keys.publicKeyPem);
    const ctx = context(mem, { verifyKeys: ['k.pub'] });
    await expect(openOciChart(ctx, 'oci://registry.test/charts/app:1.0.0')).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
    await expect(describeOciChart(ctx, 'oci://registry.test/charts/app:1.0.0')).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
    expect(mem.calls.some((c) => c.startsWith('getBlob registry.test/charts/app ') && !c.includes('.sig'))).toBe(true); // the config
    const manifest = JSON.parse(mem.manifests.get('registry.test/charts/app')!.get('1.0.0')!.bytes.toString());
    expect(layerReads(mem, manifest.layers[0].digest)).toHaveLength(0);
    expect(fs.existsSync(path.join(ctx.cacheDir, 'artifacts'))).toBe(false);
  });

  test('with --verify, a chart signed by the key is opened; --verify without a key is a usage error', async () => {
    const { mem, pushed } = await published();
    const keys = await generateKeyPair('pw');
    fs.writeFileSync(path.join(dir, 'signer.pub'), keys.publicKeyPem);
    const key = await parsePrivateKey(keys.privateKeyPem, { source: 'signer.key', password: 'pw' });
    await signArtifact(mem.client, { registry: 'registry.test', repository: 'charts/app' }, pushed.digest, key);
    const opened = await openOciChart(
      context(mem, { verifyKeys: ['signer.pub'] }),
      'oci://registry.test/charts/app:1.0.0',
    );
    expect(opened.manifest.name).toBe('app');
    await expect(
      openOciChart(context(mem, { verifyKeys: [] }), 'oci://registry.test/charts/app:1.0.0'),
    ).rejects.toMatchObject({
      code: 'USAGE',
      message: '--verify needs a public key to verify with',
    });
  });

  test('show reads the config blob only: no layer download, nothing unpacked', async () => {
    const { mem } = await published();
    const ctx = context(mem);
    const described = await describeOciChart(ctx, 'oci://registry.test/charts/app');
    expect(described.chart).toEqual({ name: 'app', version: '1.0.0', description: 'the app chart' });
    expect(described.defaults).toEqual({ replicas: 1 });
    const manifest = JSON.parse(mem.manifests.get('registry.test/charts/app')!.get('1.0.0')!.bytes.toString());
    expect(layerReads(mem, manifest.layers[0].digest)).toHaveLength(0);
    expect(fs.existsSync(path.join(ctx.cacheDir, 'artifacts'))).toBe(false);
  });
});
