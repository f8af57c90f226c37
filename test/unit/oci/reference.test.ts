// oci:// references: parsed strictly (distribution's repository and tag rules, sha256 digests), formatted back.
import { describe, expect, test } from '@jest/globals';
import { isKcError } from '../../../src/errors/index.js';
import {
  apiHost,
  apiRepository,
  formatOciReference,
  parseOciReference,
  tagVersion,
  versionTag,
} from '../../../src/oci/reference.js';

const D = `sha256:${'ab'.repeat(32)}`;

describe('parseOciReference', () => {
  test.each([
    ['oci://127.0.0.1:5000/charts/mysql', { registry: '127.0.0.1:5000', repository: 'charts/mysql' }],
    ['oci://ghcr.io/org/charts/mysql:1.0.0', { registry: 'ghcr.io', repository: 'org/charts/mysql', tag: '1.0.0' }],
    [`oci://localhost:5000/a@${D}`, { registry: 'localhost:5000', repository: 'a', digest: D }],
    [
      `oci://r.example/a/b:1.2.3_build.4@${D}`,
      { registry: 'r.example', repository: 'a/b', tag: '1.2.3_build.4', digest: D },
    ],
    ['oci://[::1]:5000/x__y/a-b.c--d', { registry: '[::1]:5000', repository: 'x__y/a-b.c--d' }],
    ['oci://Registry.Example/a', { registry: 'registry.example', repository: 'a' }],
  ])('%s', (input, expected) => {
    expect(parseOciReference(input)).toEqual(expected);
    expect(formatOciReference(parseOciReference(input))).toBe(input.replace('Registry.Example', 'registry.example'));
  });

  test.each([
    ['https://r/a', 'does not start with oci://'],
    ['oci://registry-only', 'no repository'],
    ['oci:///a', 'registry host is empty'],
    ['oci://r/Charts/mysql', 'upper-case'],
    ['oci://r/a//b', 'empty path component'],
    ['oci://r/a/', 'empty path component'],
    ['oci://r/a_-b', 'may hold only'],
    ['oci://r/a:.bad', 'tag ".bad" is not valid'],
    [`oci://r/a:${'x'.repeat(129)}`, 'is not valid'],
    ['oci://r/a:1.0.0+build', 'is not valid'],
    ['oci://r/a@sha256:abc', 'not sha256: followed by 64'],
    [`oci://r/a@sha512:${'a'.repeat(128)}`, 'not sha256'],
    [`oci://r/a@${D.toUpperCase().replace('SHA256', 'sha256')}`, 'lower-case hex'],
    ['oci://bad_host/a', 'not a registry host'],
    [`oci://r/${'a'.repeat(256)}`, 'longer than 255'],
  ])('%s is a USAGE error saying %s', (input, problem) => {
    let caught: unknown;
    try {
      parseOciReference(input);
    } catch (err) {
      caught = err;
    }
    expect(isKcError(caught)).toBe(true);
    expect((caught as Error & { code: string }).code).toBe('USAGE');
    expect((caught as Error).message).toContain(problem);
    expect((caught as { hint?: string }).hint).toBeTruthy();
  });
});

describe('helpers', () => {
  test('Docker Hub: docker.io is registry-1.docker.io and one-part names live under library/', () => {
    expect(apiHost('docker.io')).toBe('registry-1.docker.io');
    expect(apiHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(apiRepository({ registry: 'docker.io', repository: 'mysql' })).toBe('library/mysql');
    expect(apiRepository({ registry: 'docker.io', repository: 'org/mysql' })).toBe('org/mysql');
    expect(apiRepository({ registry: 'ghcr.io', repository: 'mysql' })).toBe('mysql');
  });

  test('a version with build metadata is tagged with _ for +, and read back', () => {
    expect(versionTag('1.2.3+build.5')).toBe('1.2.3_build.5');
    expect(tagVersion('1.2.3_build.5')).toBe('1.2.3+build.5');
    expect(versionTag('1.2.3-rc.1')).toBe('1.2.3-rc.1');
  });
});
