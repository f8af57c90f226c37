import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { kubeconfigFiles, loadMergedKubeconfig } from '../../../src/kube/kubeconfig-merge.js';
import { KcError } from '../../../src/errors/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-kubeconfig-merge-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Writes a kubeconfig (YAML text) to a fresh file and returns its path. */
function write(text: string): string {
  const file = path.join(dir, `k${n++}.yaml`);
  fs.writeFileSync(file, text);
  return file;
}

const list = (...files: string[]) => files.join(path.delimiter);
const missing = path.join(dir, 'missing.yaml');

function caught(fn: () => unknown): KcError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KcError);
    return err as KcError;
  }
  throw new Error('expected a KcError');
}

describe('kubeconfigFiles (kubectl loading rules)', () => {
  test('--kubeconfig is the only file read, whatever $KUBECONFIG says', () => {
    const a = write('{}');
    expect(kubeconfigFiles(a, { KUBECONFIG: list(write('{}')) })).toEqual([a]);
  });

  test('a --kubeconfig that does not exist is an error', () => {
    const err = caught(() => kubeconfigFiles(missing, {}));
    expect(err.code).toBe('KUBECONFIG_INVALID');
    expect(err.message).toBe(`kubeconfig ${missing} does not exist`);
  });

  test('$KUBECONFIG: missing and empty entries are skipped, the order is kept', () => {
    const a = write('{}');
    const b = write('{}');
    expect(kubeconfigFiles(undefined, { KUBECONFIG: `${path.delimiter}${list(missing, b, a)}` })).toEqual([b, a]);
    expect(kubeconfigFiles(undefined, { KUBECONFIG: missing })).toEqual([]);
  });

  test('without $KUBECONFIG, $HOME/.kube/config', () => {
    const home = path.join(dir, 'home');
    expect(kubeconfigFiles(undefined, { HOME: home })).toEqual([]);
    fs.mkdirSync(path.join(home, '.kube'), { recursive: true });
    fs.writeFileSync(path.join(home, '.kube', 'config'), '{}');
    expect(kubeconfigFiles(undefined, { HOME: home })).toEqual([path.join(home, '.kube', 'config')]);
  });
});

describe('loadMergedKubeconfig (kubectl merge rules)', () => {
  test('the first file defining a name wins, for clusters, users and contexts; names may repeat across files', () => {
    const a = write(`clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1001'}}]
users: [{name: u, user: {exec: {command: plugin}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
`);
    const b = write(`clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1002'}}, {name: d, cluster: {server: s}}]
users: [{name: u, user: {token: b}}]
contexts: [{name: x, context: {cluster: d, user: u}}]
current-context: x
`);
    const merged = loadMergedKubeconfig(undefined, { KUBECONFIG: list(a, missing, b) });
    expect(merged.files).toEqual([a, b]);
    expect(merged.clusters.get('c')).toEqual({ name: 'c', body: { server: 'https://127.0.0.1:1001' }, source: a });
    expect(merged.clusters.get('d')?.source).toBe(b);
    expect(merged.users.get('u')).toEqual({ name: 'u', body: { exec: { command: 'plugin' } }, source: a });
    expect(merged.contexts.get('x')?.source).toBe(a);
    // The first file that sets current-context is b: a sets none.
    expect(merged.currentContext).toBe('x');
  });

  test('current-context: the first non-empty one wins, even when the context is defined in a later file', () => {
    const first = write('current-context: from-first\n');
    const empty = write("current-context: ''\n");
    const second = write('contexts: [{name: from-first, context: {cluster: c}}]\ncurrent-context: other\n');
    const merged = loadMergedKubeconfig(undefined, { KUBECONFIG: list(empty, first, second) });
    expect(merged.currentContext).toBe('from-first');
  });

  test('an empty file is an empty kubeconfig', () => {
    const merged = loadMergedKubeconfig(write(''));
    const sizes = [merged.clusters.size, merged.users.size, merged.contexts.size];
    expect([...sizes, merged.currentContext]).toEqual([0, 0, 0, undefined]);
  });

  test.each([
    [
      'a name repeated within one file',
      'clusters: [{name: c, cluster: {server: a}}, {name: c, cluster: {server: b}}]',
      'cluster "c" is defined twice',
    ],
    ['a document that is not a mapping', '[1, 2]', 'it is not a YAML mapping'],
    ['a list that is not a list', 'users: {name: u}', 'users is not a list'],
    ['an entry without a name', 'contexts: [{context: {cluster: c}}]', 'a context entry has no name'],
    ['a current-context that is not a string', 'current-context: [x]', 'current-context is not a string'],
  ])('%s is KUBECONFIG_INVALID naming the file', (_name, text, reason) => {
    const file = write(text);
    const err = caught(() => loadMergedKubeconfig(file));
    expect(err.code).toBe('KUBECONFIG_INVALID');
    expect(err.message).toBe(`cannot read kubeconfig ${file}: ${reason}`);
  });
});
