import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import type { ArtifactManifest } from '../../../src/artifact/index.js';
import { buildIndex, parseIndex, serializeIndex, type IndexedArtifact } from '../../../src/repo/index.js';

const digest = (c: string) => c.repeat(64);

function artifact(name: string, version: string, extra: Partial<ArtifactManifest> = {}): IndexedArtifact {
  const manifest = {
    formatVersion: 1, name, version, keywords: ['db'], kcVersion: '0.1.0', description: `${name} chart`, dependencies: [],
    bundle: { file: 'chart.cjs', sourceMap: 'chart.cjs.map', digest: digest('b') }, values: { schema: {}, defaults: {} }, ...extra,
  } as ArtifactManifest;
  return { manifest, digest: digest(version.at(-1)!), fileName: `${name}-${version}.tgz` };
}

const jan = new Date('2026-01-01T00:00:00.000Z');
const feb = new Date('2026-02-01T00:00:00.000Z');

describe('repository index generation', () => {
  test('entries per chart, versions newest first by semver (not text), created and generated from the clock', () => {
    const index = buildIndex([artifact('mysql', '1.9.0'), artifact('mysql', '1.10.0'), artifact('mysql', '1.10.0-rc.1'), artifact('app', '0.1.0', { appVersion: '2.0' })], { baseUrl: 'http://127.0.0.1:8080/charts/', now: jan });
    const text = serializeIndex(index);
    const doc = parse(text);
    expect(Object.keys(doc)).toEqual(['apiVersion', 'entries', 'generated']);
    expect(Object.keys(doc.entries)).toEqual(['app', 'mysql']);
    expect(doc.entries.mysql.map((e: { version: string }) => e.version)).toEqual(['1.10.0', '1.10.0-rc.1', '1.9.0']);
    expect(doc.entries.app[0]).toEqual({
      name: 'app', version: '0.1.0', appVersion: '2.0', description: 'app chart', keywords: ['db'], digest: digest('0'),
      urls: ['http://127.0.0.1:8080/charts/app-0.1.0.tgz'], created: '2026-01-01T00:00:00.000Z',
    });
    expect(doc.generated).toBe('2026-01-01T00:00:00.000Z');
    // Same input, same clock: same bytes.
    expect(serializeIndex(buildIndex([artifact('app', '0.1.0', { appVersion: '2.0' }), artifact('mysql', '1.10.0-rc.1'), artifact('mysql', '1.10.0'), artifact('mysql', '1.9.0')], { baseUrl: 'http://127.0.0.1:8080/charts', now: jan }))).toBe(text);
  });

  test('without --url the URLs are relative to the index', () => {
    expect(buildIndex([artifact('app', '0.1.0')], { now: jan }).entries.app[0].urls).toEqual(['app-0.1.0.tgz']);
  });

  test('--merge keeps existing entries and their created time, adds new versions with the clock\'s', () => {
    const existing = parseIndex(serializeIndex(buildIndex([artifact('mysql', '1.0.0'), artifact('old', '0.0.1')], { baseUrl: 'http://h/c', now: jan })), 'index.yaml');
    const merged = buildIndex([artifact('mysql', '1.0.0'), artifact('mysql', '1.1.0')], { baseUrl: 'http://h/c', now: feb, existing });
    const doc = parse(serializeIndex(merged));
    expect(doc.entries.mysql.map((e: { version: string; created: string }) => [e.version, e.created])).toEqual([
      ['1.1.0', '2026-02-01T00:00:00.000Z'],
      ['1.0.0', '2026-01-01T00:00:00.000Z'],
    ]);
    expect(doc.entries.old[0].created).toBe('2026-01-01T00:00:00.000Z');
    expect(doc.generated).toBe('2026-02-01T00:00:00.000Z');
  });

  test('two files of the same chart version are refused', () => {
    expect(() => buildIndex([artifact('a', '1.0.0'), { ...artifact('a', '1.0.0'), fileName: 'copy.tgz' }], { now: jan })).toThrow(/copy\.tgz and a-1\.0\.0\.tgz are both a 1\.0\.0/);
  });

  test.each([
    ['not YAML', 'entries: [', 'is not valid YAML'],
    ['not an index', 'kind: Deployment', 'is not a chart repository index: apiVersion'],
    ['a bad digest', 'apiVersion: v1\nentries:\n  a:\n    - { name: a, version: 1.0.0, digest: xyz, urls: [a.tgz] }', 'entries.a.0.digest: must be a sha256 digest'],
    ['an entry under another name', `apiVersion: v1\nentries:\n  a:\n    - { name: b, version: 1.0.0, digest: ${digest('c')}, urls: [b.tgz] }`, 'entry b-1.0.0 is listed under a'],
  ])('an index with %s is REPO_INDEX_INVALID', (_name, text, message) => {
    expect(() => parseIndex(text, 'http://127.0.0.1/index.yaml')).toThrow(expect.objectContaining({ code: 'REPO_INDEX_INVALID', message: expect.stringContaining(message) }));
  });
});
