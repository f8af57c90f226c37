import { describe, expect, test } from '@jest/globals';
import { isKcError } from '../../../src/errors/index.js';
import { checkReleaseName, MAX_RELEASE_NAME, releaseNameProblem } from '../../../src/release/name.js';

/** The error checkReleaseName throws, or undefined. */
function errorOf(name: string, where?: Parameters<typeof checkReleaseName>[1]) {
  try {
    checkReleaseName(name, where);
    return undefined;
  } catch (err) {
    if (!isKcError(err)) throw err;
    return err;
  }
}

describe('release names (Helm\'s rule: a DNS-1123 label of at most 53 characters)', () => {
  test.each(['a', 'my-mysql', 'web2', '0', 'a-b-c', '1x', 'a'.repeat(MAX_RELEASE_NAME)])('%s is valid', (name) => {
    expect(releaseNameProblem(name)).toBeUndefined();
    expect(errorOf(name)).toBeUndefined();
  });

  test.each([
    ['', 'not a DNS-1123 label'],
    ['My-App', 'not a DNS-1123 label'],
    ['my_app', 'not a DNS-1123 label'],
    ['-web', 'not a DNS-1123 label'],
    ['web-', 'not a DNS-1123 label'],
    ['web.prod', 'not a DNS-1123 label'],
    ['we b', 'not a DNS-1123 label'],
    ['web\n', 'not a DNS-1123 label'],
    ['évian', 'not a DNS-1123 label'],
    ['a'.repeat(54), 'it is 54 characters long; at most 53 are allowed'],
    ['A'.repeat(64), 'it is 64 characters long; at most 53 are allowed'],
  ])('%j is RELEASE_NAME_INVALID (%s)', (name, problem) => {
    const err = errorOf(name);
    expect(err?.code).toBe('RELEASE_NAME_INVALID');
    expect(err?.exitCode).toBe(2);
    expect(err?.message).toBe(`invalid release name "${name}": ${releaseNameProblem(name)}`);
    expect(err?.message).toContain(problem);
    expect(err?.hint).toContain('lowercase letters, digits and "-"');
    expect(err?.hint).toContain('at most 53 characters');
  });

  test('the error says where the name came from, with the caller\'s hint', () => {
    const err = errorOf('Web', { source: '--release', hint: 'rename it' });
    expect(err?.message).toMatch(/^invalid release name "Web" \(--release\): it is not a DNS-1123 label \(/);
    expect(err?.hint).toBe('rename it');
  });

  test('a very long name is quoted in part', () => {
    const err = errorOf('x'.repeat(100_000));
    const problem = 'it is 100000 characters long; at most 53 are allowed';
    expect(err?.message).toBe(`invalid release name "${'x'.repeat(100)}…": ${problem}`);
  });
});
