import { describe, expect, test } from '@jest/globals';
import { entryUrl, parsePackagedSource, searchIndexes, selectVersion, type RepoIndex } from '../../../src/repo/index.js';

const entry = (name: string, version: string, extra: Record<string, unknown> = {}) => ({ name, version, digest: 'd'.repeat(64), urls: [`${name}-${version}.tgz`], ...extra });

const index: RepoIndex = {
  apiVersion: 'v1',
  entries: {
    mysql: [entry('mysql', '1.0.0', { description: 'MySQL database', keywords: ['sql'] }), entry('mysql', '1.2.0', { description: 'MySQL database', keywords: ['sql'] }), entry('mysql', '2.0.0-beta.1', { description: 'MySQL database' }), entry('mysql', '1.10.1', { description: 'MySQL database', keywords: ['sql'] })],
    webapp: [entry('webapp', '0.3.0', { description: 'A web app', keywords: ['nginx', 'http'] })],
    edge: [entry('edge', '0.1.0-alpha.1'), entry('edge', '0.1.0-alpha.2')],
  },
};

describe('semver resolution', () => {
  test.each([
    [undefined, '1.10.1'],
    ['^1.0.0', '1.10.1'],
    ['~1.2.0', '1.2.0'],
    ['1.0.0', '1.0.0'],
    ['<1.2.0', '1.0.0'],
    ['>=2.0.0-0', '2.0.0-beta.1'],
    ['1.x', '1.10.1'],
  ])('range %s picks %s', (range, version) => {
    expect(selectVersion(index, 'mysql', range, 'repository stable').version).toBe(version);
  });

  test('relative URLs in an index resolve against the repository URL; absolute ones are kept', () => {
    const e = selectVersion(index, 'webapp', undefined, 'r');
    expect(entryUrl(e, 'http://127.0.0.1:8080/charts')).toBe('http://127.0.0.1:8080/charts/webapp-0.3.0.tgz');
    expect(entryUrl(e, 'http://127.0.0.1:8080/charts/')).toBe('http://127.0.0.1:8080/charts/webapp-0.3.0.tgz');
    expect(entryUrl({ ...e, urls: ['http://127.0.0.1:9/x.tgz'] }, 'http://127.0.0.1:8080/charts')).toBe('http://127.0.0.1:9/x.tgz');
  });

  test('a chart with only pre-releases gets its newest one when no range is given', () => {
    expect(selectVersion(index, 'edge', undefined, 'r').version).toBe('0.1.0-alpha.2');
  });

  test('no satisfying version, an unknown chart and a bad range are clear errors', () => {
    expect(() => selectVersion(index, 'mysql', '^3.0.0', 'repository stable')).toThrow(expect.objectContaining({ code: 'CHART_NOT_FOUND', message: 'repository stable has no version of mysql matching ^3.0.0', hint: expect.stringContaining('available: 2.0.0-beta.1, 1.10.1, 1.2.0, 1.0.0') }));
    expect(() => selectVersion(index, 'postgres', undefined, 'repository stable')).toThrow(expect.objectContaining({ code: 'CHART_NOT_FOUND', hint: 'charts there: edge, mysql, webapp' }));
    expect(() => selectVersion(index, 'mysql', 'newest', 'r')).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('search', () => {
  const indexes = [{ repo: 'stable', index }, { repo: 'other', index: { apiVersion: 'v1' as const, entries: { sqlite: [entry('sqlite', '3.0.0', { description: 'Embedded' })] } } }];

  test('matches names, descriptions and keywords case-insensitively; newest stable version per chart; sorted by name', () => {
    expect(searchIndexes(indexes, { keyword: 'SQL' }).map((h) => [h.name, h.version])).toEqual([['other/sqlite', '3.0.0'], ['stable/mysql', '1.10.1']]);
    expect(searchIndexes(indexes, { keyword: 'nginx' }).map((h) => h.name)).toEqual(['stable/webapp']);
    expect(searchIndexes(indexes, { keyword: 'stable/web' }).map((h) => h.name)).toEqual(['stable/webapp']);
    expect(searchIndexes(indexes, { keyword: 'nothing-like-this' })).toEqual([]);
  });

  test('no keyword lists every chart; --versions lists every version newest first; --version filters', () => {
    expect(searchIndexes(indexes, {}).map((h) => `${h.name}@${h.version}`)).toEqual(['other/sqlite@3.0.0', 'stable/edge@0.1.0-alpha.2', 'stable/mysql@1.10.1', 'stable/webapp@0.3.0']);
    expect(searchIndexes(indexes, { keyword: 'mysql', versions: true }).map((h) => h.version)).toEqual(['2.0.0-beta.1', '1.10.1', '1.2.0', '1.0.0']);
    expect(searchIndexes(indexes, { keyword: 'mysql', versions: true, range: '~1.2.0' }).map((h) => h.version)).toEqual(['1.2.0']);
  });
});

describe('what a chart argument names', () => {
  const exists = (f: string) => f === '/w/charts/mysql' || f === '/w/app.tgz';
  test.each([
    ['http://127.0.0.1:8080/charts/a-1.0.0.tgz', { kind: 'url', url: 'http://127.0.0.1:8080/charts/a-1.0.0.tgz' }],
    ['./app.tgz', { kind: 'artifact', file: '/w/app.tgz' }],
    ['stable/mysql', { kind: 'repo', repo: 'stable', chart: 'mysql', version: undefined }],
    ['stable/mysql@^1.2', { kind: 'repo', repo: 'stable', chart: 'mysql', version: '^1.2' }],
    ['charts/mysql', undefined],
    ['no/such/dir', undefined],
    ['.', undefined],
  ])('%s', (input, expected) => {
    expect(parsePackagedSource(input, '/w', exists)).toEqual(expected);
  });

  test('a missing .tgz and a non-http URL are errors, not guesses', () => {
    expect(() => parsePackagedSource('gone.tgz', '/w', exists)).toThrow(expect.objectContaining({ code: 'CHART_NOT_FOUND' }));
    expect(() => parsePackagedSource('file:///etc/passwd', '/w', exists)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
