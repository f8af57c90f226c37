// kc charts as OCI artifacts over an in-memory registry: the manifest is reproducible (no timestamp, fixed key
// order), tags are versions, ranges resolve over tags, and other kinds of artifacts are named for what they are.
import { describe, expect, test } from '@jest/globals';
import { isKcError, type KcError } from '../../../src/errors/index.js';
import { chartConfigJson, parseChartConfig } from '../../../src/oci/chart-config.js';
import { classifyManifest } from '../../../src/oci/chart-manifest.js';
import { pullChart, readChartConfig, resolveChart, selectTag } from '../../../src/oci/chart-pull.js';
import { pushChart } from '../../../src/oci/chart-push.js';
import {
  DOCKER_MANIFEST,
  HELM_CONFIG_MEDIA_TYPE,
  HELM_CONTENT_MEDIA_TYPE,
  KC_ARTIFACT_TYPE,
  KC_CONFIG_MEDIA_TYPE,
  KC_CONTENT_MEDIA_TYPE,
  OCI_INDEX,
  OCI_MANIFEST,
} from '../../../src/oci/media-types.js';
import { chartArtifact } from '../../helpers/chart-artifact.js';
import { memoryRegistry } from '../../helpers/memory-registry.js';

const REPO = { registry: '127.0.0.1:5000', repository: 'charts' };
const D = (c: string) => `sha256:${c.repeat(64)}`;

function failure(fn: () => unknown): KcError {
  try {
    fn();
  } catch (err) {
    if (isKcError(err)) return err;
    throw err;
  }
  throw new Error('expected a KcError');
}

async function rejection(promise: Promise<unknown>): Promise<KcError> {
  try {
    await promise;
  } catch (err) {
    if (isKcError(err)) return err;
    throw err;
  }
  throw new Error('expected a KcError');
}

describe('pushChart', () => {
  test('to PATH/NAME:VERSION: config, .tgz, an OCI 1.1 manifest; same inputs, same digest', async () => {
    const { client, blobs, manifests } = memoryRegistry();
    const { archive, opened } = await chartArtifact('mysql', '1.0.0');
    const pushed = await pushChart(client, REPO, archive, opened);
    expect(pushed.reference).toBe('oci://127.0.0.1:5000/charts/mysql:1.0.0');
    expect(pushed.repository).toEqual({ registry: '127.0.0.1:5000', repository: 'charts/mysql' });
    const stored = manifests.get('127.0.0.1:5000/charts/mysql')!.get('1.0.0')!;
    expect(stored.mediaType).toBe(OCI_MANIFEST);
    const m = JSON.parse(stored.bytes.toString());
    expect(Object.keys(m)).toEqual(['schemaVersion', 'mediaType', 'artifactType', 'config', 'layers', 'annotations']);
    expect(m.artifactType).toBe(KC_ARTIFACT_TYPE);
    expect(m.annotations).toEqual({
      'org.opencontainers.image.description': 'the mysql chart',
      'org.opencontainers.image.title': 'mysql',
      'org.opencontainers.image.version': '1.0.0',
    });
    expect(stored.bytes.toString()).not.toContain('created');
    expect(m.layers[0].annotations).toEqual({ 'org.opencontainers.image.title': 'mysql-1.0.0.tgz' });
    const config = blobs.get('127.0.0.1:5000/charts/mysql')!.get(m.config.digest)!;
    expect(Object.keys(JSON.parse(config.toString()))).toEqual([
      'name',
      'version',
      'description',
      'keywords',
      'kcVersion',
      'values',
    ]);

    const again = await chartArtifact('mysql', '1.0.0');
    const second = await pushChart(memoryRegistry().client, REPO, again.archive, again.opened);
    expect(second.digest).toBe(pushed.digest);
    const changed = await chartArtifact('mysql', '1.0.0', 'module.exports = { changed: true };\n');
    expect((await pushChart(memoryRegistry().client, REPO, changed.archive, changed.opened)).digest).not.toBe(
      pushed.digest,
    );
  });

  test('a repository with a tag is USAGE', async () => {
    const { archive, opened } = await chartArtifact('mysql', '1.0.0');
    const err = await rejection(pushChart(memoryRegistry().client, { ...REPO, tag: '1' } as never, archive, opened));
    expect(err.code).toBe('USAGE');
  });
});

describe('resolveChart and pullChart', () => {
  test('by tag, range and digest; the archive and config come back; a missing tag is CHART_NOT_FOUND', async () => {
    const reg = memoryRegistry();
    for (const v of ['1.0.0', '1.1.0', '2.0.0-beta.1']) {
      const { archive, opened } = await chartArtifact('app', v);
      await pushChart(reg.client, REPO, archive, opened);
    }
    const ref = { registry: REPO.registry, repository: 'charts/app' };
    const latest = await resolveChart(reg.client, ref);
    expect(latest.tag).toBe('1.1.0');
    expect(latest.ref).toEqual({ ...ref, tag: '1.1.0', digest: latest.digest });
    const { archive, config } = await pullChart(reg.client, latest);
    expect(config.version).toBe('1.1.0');
    expect(archive.equals((await chartArtifact('app', '1.1.0')).archive)).toBe(true);
    expect((await resolveChart(reg.client, ref, '>=2.0.0-0')).tag).toBe('2.0.0-beta.1');
    const byDigest = await resolveChart(reg.client, { ...ref, digest: latest.digest });
    expect(byDigest.tag).toBeUndefined();
    expect(byDigest.config.version).toBe('1.1.0');
    expect((await readChartConfig(reg.client, { ...ref, tag: '1.0.0' })).values.defaults).toEqual({ replicas: 1 });
    // An exact version is fetched by its tag, without listing tags.
    reg.calls.length = 0;
    await resolveChart(reg.client, ref, '1.0.0');
    expect(reg.calls.some((c) => c.startsWith('listTags'))).toBe(false);
    expect((await rejection(resolveChart(reg.client, { ...ref, tag: '9.9.9' }))).code).toBe('CHART_NOT_FOUND');
  });

  test('a layer over the archive limit is ARCHIVE_UNSAFE before any download', async () => {
    const reg = memoryRegistry();
    const { archive, opened } = await chartArtifact('big', '1.0.0');
    await pushChart(reg.client, REPO, archive, opened);
    const resolved = await resolveChart(reg.client, {
      registry: REPO.registry,
      repository: 'charts/big',
      tag: '1.0.0',
    });
    reg.calls.length = 0;
    expect((await rejection(pullChart(reg.client, resolved, 10))).code).toBe('ARCHIVE_UNSAFE');
    expect(reg.calls).toEqual([]);
  });
});

describe('selectTag', () => {
  const tags = ['1.0.0', '1.2.0', '1.3.0_build.7', '2.0.0-rc.1', 'latest', 'v3.0.0', 'stable'];
  test.each([
    [undefined, '1.3.0_build.7'],
    ['^1.0.0', '1.3.0_build.7'],
    ['~1.2.0', '1.2.0'],
    ['>=2.0.0-0', '2.0.0-rc.1'],
    ['*', '1.3.0_build.7'],
  ])('%s → %s (stable unless the range has a pre-release; non-semver tags ignored)', (range, tag) => {
    expect(selectTag(tags, range, 'oci://r/app')).toBe(tag);
  });

  test('only pre-releases: the newest when no range; no match is CHART_NOT_FOUND; a bad range is USAGE', () => {
    expect(selectTag(['1.0.0-a', '1.0.0-b'], undefined, 'x')).toBe('1.0.0-b');
    const none = failure(() => selectTag(tags, '^5', 'oci://r/app'));
    expect(none.code).toBe('CHART_NOT_FOUND');
    expect(none.hint).toContain('1.3.0+build.7');
    const bad = failure(() => selectTag(tags, 'latest', 'oci://r/app'));
    expect(bad.code).toBe('USAGE');
    expect(bad.message).toContain('--version latest');
    expect(failure(() => selectTag(['latest'], undefined, 'x')).code).toBe('CHART_NOT_FOUND');
  });
});

describe('classifyManifest', () => {
  const desc = (mediaType: string, c = 'a') => ({ mediaType, digest: D(c), size: 10 });
  const manifest = (extra: Record<string, unknown>) =>
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, ...extra }));

  test('a kc chart: its config and one content layer', () => {
    const bytes = manifest({
      artifactType: KC_ARTIFACT_TYPE,
      config: desc(KC_CONFIG_MEDIA_TYPE),
      layers: [desc(KC_CONTENT_MEDIA_TYPE, 'b')],
    });
    expect(classifyManifest(bytes, OCI_MANIFEST, 'X').layer.digest).toBe(D('b'));
  });

  test.each([
    [
      'a Helm chart',
      OCI_MANIFEST,
      { config: desc(HELM_CONFIG_MEDIA_TYPE), layers: [desc(HELM_CONTENT_MEDIA_TYPE)] },
      'helm template',
    ],
    [
      'a container image',
      OCI_MANIFEST,
      { config: desc('application/vnd.oci.image.config.v1+json'), layers: [] },
      'Pod',
    ],
    [
      'a container image',
      DOCKER_MANIFEST,
      { config: desc('application/vnd.docker.container.image.v1+json'), layers: [] },
      'Pod',
    ],
    ['an image index', OCI_INDEX, { manifests: [] }, 'kc push'],
    [
      'artifactType application/vnd.cncf.flux',
      OCI_MANIFEST,
      { artifactType: 'application/vnd.cncf.flux', config: desc('x/y'), layers: [] },
      'kc push',
    ],
    [
      'config media type application/x-other',
      OCI_MANIFEST,
      { config: desc('application/x-other'), layers: [] },
      'kc push',
    ],
  ])('%s is ARTIFACT_INVALID saying so', (what, mediaType, body, hint) => {
    const err = failure(() => classifyManifest(manifest(body), mediaType, 'oci://r/x:1'));
    expect(err.code).toBe('ARTIFACT_INVALID');
    expect(err.message).toContain(what);
    expect(err.message).toContain('oci://r/x:1');
    expect(err.hint).toContain(hint);
  });

  test('a kc manifest with two content layers, a bad descriptor or no JSON is ARTIFACT_INVALID', () => {
    const two = manifest({
      artifactType: KC_ARTIFACT_TYPE,
      config: desc(KC_CONFIG_MEDIA_TYPE),
      layers: [desc(KC_CONTENT_MEDIA_TYPE), desc(KC_CONTENT_MEDIA_TYPE, 'c')],
    });
    expect(failure(() => classifyManifest(two, OCI_MANIFEST, 'X')).message).toContain('2 layers');
    const bad = manifest({
      artifactType: KC_ARTIFACT_TYPE,
      config: { mediaType: KC_CONFIG_MEDIA_TYPE, digest: 'md5:x', size: 1 },
      layers: [],
    });
    expect(failure(() => classifyManifest(bad, OCI_MANIFEST, 'X')).code).toBe('ARTIFACT_INVALID');
    expect(failure(() => classifyManifest(Buffer.from('{'), OCI_MANIFEST, 'X')).code).toBe('ARTIFACT_INVALID');
  });
});

describe('chart config', () => {
  test('round-trips, and a config missing values is ARTIFACT_INVALID', () => {
    const config = {
      name: 'a',
      version: '1.0.0',
      keywords: [],
      kcVersion: '0.1.0',
      values: { schema: {}, defaults: { x: 1 } },
    };
    expect(parseChartConfig(chartConfigJson(config), 'X')).toEqual(config);
    const err = failure(() =>
      parseChartConfig(Buffer.from('{"name":"a","version":"1.0.0","keywords":[],"kcVersion":"1"}'), 'X'),
    );
    expect(err.code).toBe('ARTIFACT_INVALID');
    expect(err.message).toContain('values');
  });
});
