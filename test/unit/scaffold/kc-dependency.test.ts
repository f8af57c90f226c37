import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { kcDependencySpec } from '../../../src/scaffold/kc-dependency.js';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-dep-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A kc installed by npm under `prefix/lib/node_modules`, with npm's hidden lockfile saying where it came from. */
function installed(prefix: string, resolved?: string): string {
  const modules = path.join(tmp, prefix, 'lib/node_modules');
  fs.mkdirSync(path.join(modules, 'kc-charts'), { recursive: true });
  if (resolved) {
    const lock = { lockfileVersion: 3, packages: { 'node_modules/kc-charts': { version: '0.1.0', resolved } } };
    fs.writeFileSync(path.join(modules, '.package-lock.json'), JSON.stringify(lock));
  }
  return path.join(modules, 'kc-charts');
}

describe('kcDependencySpec', () => {
  test('a kc from a clone is linked with file:', () => {
    expect(kcDependencySpec('/src/kc', 'kc-charts', '0.1.0')).toBe('file:/src/kc');
  });

  test('a kc npm installed from a registry names its package and version', () => {
    const root = installed('registry', 'https://registry.npmjs.org/kc-charts/-/kc-charts-0.1.0.tgz');
    expect(kcDependencySpec(root, 'kc-charts', '0.1.0')).toBe('npm:kc-charts@^0.1.0');
    // Without npm's record (another package manager), an installed kc is taken to come from a registry.
    expect(kcDependencySpec(installed('other'), 'kc-charts', '0.2.1')).toBe('npm:kc-charts@^0.2.1');
  });

  test('a kc npm installed from a tarball or folder is linked with file:', () => {
    const root = installed('tarball', 'file:../../kc-charts-0.1.0.tgz');
    expect(kcDependencySpec(root, 'kc-charts', '0.1.0')).toBe(`file:${root}`);
  });
});
