// Docker's config.json and its siblings (Helm's registry config, podman's auth.json): where they are, how a registry
// is matched to a key, what an entry grants, malformed files (no content in the error), and atomic 0600 writes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  INDEX_SERVER,
  authEntry,
  canonicalHost,
  dockerConfigPath,
  entryCredentials,
  fallbackConfigPaths,
  helperFor,
  keyHost,
  matchKey,
  matchingKeys,
  readDockerConfig,
  serverAddress,
  updateDockerConfig,
} from '../../../src/oci/docker-config.js';
import { findCredentials } from '../../../src/oci/credential-store.js';
import { KcError } from '../../../src/errors/index.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const SECRET = 's3cr3t-Pa55';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-docker-config-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function write(file: string, content: unknown): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function caught(fn: () => unknown): KcError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KcError) return err;
    throw err;
  }
  throw new Error('expected a KcError');
}

describe('where the files are', () => {
  test('DOCKER_CONFIG names the folder, else ~/.docker', () => {
    expect(dockerConfigPath({ env: { DOCKER_CONFIG: '/etc/dc' }, home })).toBe('/etc/dc/config.json');
    expect(dockerConfigPath({ env: {}, home })).toBe(path.join(home, '.docker', 'config.json'));
    expect(dockerConfigPath({ env: { DOCKER_CONFIG: '' }, home })).toBe(path.join(home, '.docker', 'config.json'));
  });

  test("Helm's registry config, then podman's runtime and user auth files", () => {
    expect(fallbackConfigPaths({ env: { XDG_RUNTIME_DIR: '/run/user/7' }, home })).toEqual([
      { file: path.join(home, '.config/helm/registry/config.json'), source: 'helm' },
      { file: '/run/user/7/containers/auth.json', source: 'containers' },
      { file: path.join(home, '.config/containers/auth.json'), source: 'containers' },
    ]);
    expect(
      fallbackConfigPaths({ env: { HELM_REGISTRY_CONFIG: '/h.json', REGISTRY_AUTH_FILE: '/p.json' }, home }),
    ).toEqual([
      { file: '/h.json', source: 'helm' },
      { file: '/p.json', source: 'containers' },
    ]);
    expect(fallbackConfigPaths({ env: { XDG_CONFIG_HOME: '/xdg' }, home })[0].file).toBe(
      '/xdg/helm/registry/config.json',
    );
    expect(fallbackConfigPaths({ env: { HELM_CONFIG_HOME: '/hh' }, home })[0].file).toBe('/hh/registry/config.json');
  });
});

describe('registry keys, matched as Docker does', () => {
  test('Docker Hub has one name and is filed under the v1 index URL', () => {
    for (const h of ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'Docker.IO']) {
      expect(canonicalHost(h)).toBe('docker.io');
      expect(serverAddress(h)).toBe(INDEX_SERVER);
    }
    expect(serverAddress('127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(keyHost(INDEX_SERVER)).toBe('docker.io');
    expect(keyHost('https://Reg.Example.com:8443/v1/')).toBe('reg.example.com:8443');
    expect(keyHost('http://reg.example.com')).toBe('reg.example.com');
  });

  test.each([
    // [keys, registry, expected]
    [['127.0.0.1:5000'], '127.0.0.1:5000', '127.0.0.1:5000'],
    [['https://127.0.0.1:5000/v1/'], '127.0.0.1:5000', 'https://127.0.0.1:5000/v1/'],
    [['http://127.0.0.1:5000'], '127.0.0.1:5000', 'http://127.0.0.1:5000'],
    [['https://ghcr.io/', 'ghcr.io'], 'ghcr.io', 'ghcr.io'],
    [['ghcr.io/org/repo', 'https://ghcr.io'], 'ghcr.io', 'https://ghcr.io'],
    [['127.0.0.1:5001'], '127.0.0.1:5000', undefined],
    [['127.0.0.1'], '127.0.0.1:5000', undefined],
    [[INDEX_SERVER], 'docker.io', INDEX_SERVER],
    [['docker.io'], 'docker.io', 'docker.io'],
    [['index.docker.io'], 'registry-1.docker.io', 'index.docker.io'],
    [['docker.io', INDEX_SERVER], 'docker.io', INDEX_SERVER],
    [['GHCR.io'], 'ghcr.io', 'GHCR.io'],
  ] as [string[], string, string | undefined][])('%j for %s → %s', (keys, registry, expected) => {
    const map = Object.fromEntries(keys.map((k) => [k, {}]));
    expect(matchKey(map, registry)).toBe(expected);
  });

  test('a logout finds every key naming the registry', () => {
    const map = { 'h:1': {}, 'https://h:1/v1/': {}, 'h:2': {}, 'http://h:1': {} };
    expect(matchingKeys(map, 'h:1').sort()).toEqual(['h:1', 'http://h:1', 'https://h:1/v1/']);
  });
});

describe('entries', () => {
  const configWith = (auths: unknown) => readDockerConfig(write(path.join(home, 'c.json'), { auths }));

  test('auth is base64 of user:password (the password may hold colons)', () => {
    const config = configWith({ h: { auth: b64(`alice:${SECRET}:x`) } });
    expect(entryCredentials(config, 'h')).toEqual({ kind: 'basic', username: 'alice', password: `${SECRET}:x` });
  });

  test('username and password fields; auth wins over them', () => {
    expect(entryCredentials(configWith({ h: { username: 'u', password: 'p' } }), 'h')).toEqual({
      kind: 'basic',
      username: 'u',
      password: 'p',
    });
    expect(entryCredentials(configWith({ h: { auth: b64('a:b'), username: 'u', password: 'p' } }), 'h')).toEqual({
      kind: 'basic',
      username: 'a',
      password: 'b',
    });
  });

  test('registry token, then identity token, then basic', () => {
    const both = configWith({ h: { auth: b64('a:b'), identitytoken: 'idt', registrytoken: 'rt' } });
    expect(entryCredentials(both, 'h')).toEqual({ kind: 'registry-token', token: 'rt' });
    expect(entryCredentials(configWith({ h: { auth: b64('a:b'), identitytoken: 'idt' } }), 'h')).toEqual({
      kind: 'identity-token',
      token: 'idt',
    });
  });

  test('an empty entry (a helper holds the secret) grants nothing', () => {
    expect(entryCredentials(configWith({ h: {} }), 'h')).toBeUndefined();
    expect(entryCredentials(configWith({ h: { username: 'u' } }), 'h')).toBeUndefined();
  });

  test('an auth that is not base64 of user:password is CONFIG_INVALID naming the key, not its value', () => {
    for (const auth of [b64(SECRET), `${SECRET}!!`]) {
      const config = configWith({ h: { auth } });
      const err = caught(() => entryCredentials(config, 'h'));
      expect(err.code).toBe('CONFIG_INVALID');
      expect(err.message).toContain('auths["h"].auth');
      expect(`${err.message} ${err.hint}`).not.toContain(SECRET);
    }
  });

  test('the entries kc writes', () => {
    expect(authEntry({ kind: 'basic', username: 'u', password: 'p:q' })).toEqual({ auth: b64('u:p:q') });
    expect(authEntry({ kind: 'identity-token', token: 't' })).toEqual({ identitytoken: 't' });
  });

  test('credHelpers for the host, else credsStore', () => {
    const config = readDockerConfig(
      write(path.join(home, 'c.json'), {
        credHelpers: { 'gcr.io': 'gcloud', 'https://h:5000': 'pass' },
        credsStore: 'desktop',
      }),
    );
    expect(helperFor(config, 'gcr.io')).toBe('gcloud');
    expect(helperFor(config, 'h:5000')).toBe('pass');
    expect(helperFor(config, 'other')).toBe('desktop');
    expect(
      helperFor(readDockerConfig(write(path.join(home, 'd.json'), { credHelpers: { a: 'x' } })), 'b'),
    ).toBeUndefined();
  });
});

describe('reading files', () => {
  test('a missing file is an empty config; an empty file too (as Docker)', () => {
    expect(readDockerConfig(path.join(home, 'none.json'))).toMatchObject({ exists: false, auths: {} });
    expect(readDockerConfig(path.join(home, 'none', 'x.json'))).toMatchObject({ exists: false });
    expect(readDockerConfig(write(path.join(home, 'e.json'), ' \n'))).toMatchObject({ exists: true, auths: {} });
  });

  test.each([
    ['not JSON', `{"auths": {"h": {"auth": "${SECRET}"`, 'is not valid JSON'],
    ['an array', `["${SECRET}"]`, 'is not a JSON object'],
    ['auths not an object', `{"auths": "${SECRET}"}`, '"auths" is not an object'],
    ['an entry not an object', `{"auths": {"h": "${SECRET}"}}`, 'auths["h"] is not an object'],
    ['a field not a string', `{"auths": {"h": {"password": ["${SECRET}"]}}}`, 'auths["h"].password is not a string'],
    ['credHelpers not strings', `{"credHelpers": {"h": 1}}`, 'credHelpers["h"] is not a string'],
    ['credsStore not a string', `{"credsStore": {"x": "${SECRET}"}}`, '"credsStore" is not a string'],
  ])('%s → CONFIG_INVALID naming the file and the fix, never the content', (_name, text, problem) => {
    const file = write(path.join(home, '.docker', 'config.json'), text);
    const err = caught(() => readDockerConfig(file));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toBe(`${file}: ${problem}`);
    expect(err.hint).toMatch(/fix the file, or move it away and log in again/);
    expect(`${err.message}\n${err.hint}\n${err.details.join('\n')}`).not.toContain(SECRET);
    expect(err.cause).toBeUndefined();
  });

  test('an unreadable path is CONFIG_INVALID with its errno', () => {
    const dir = path.join(home, 'dir.json');
    fs.mkdirSync(dir);
    expect(caught(() => readDockerConfig(dir)).message).toBe(`${dir}: cannot be read (EISDIR)`);
  });

  test("a fallback file's error names the tool that writes it", () => {
    const file = write(path.join(home, 'helm.json'), '{');
    expect(caught(() => readDockerConfig(file, 'helm')).hint).toContain('helm registry login');
    expect(caught(() => readDockerConfig(file, 'containers')).hint).toContain('podman login');
  });
});

describe('writing the file', () => {
  test('created with its folder, mode 0600; other keys and entries kept', () => {
    const file = path.join(home, 'new', 'deeper', 'config.json');
    updateDockerConfig(file, (raw) => {
      raw.auths = { h: { auth: 'x' } };
    });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ auths: { h: { auth: 'x' } } });

    const existing = {
      psFormat: 'table {{.ID}}',
      auths: { other: { auth: b64('o:p'), email: 'o@example.com' } },
      proxies: { default: { httpProxy: 'http://p:3128', noProxy: '*.local' } },
      credHelpers: { 'gcr.io': 'gcloud' },
      plugins: { nested: { deep: [1, 2, { x: null }] } },
      currentContext: 'ctx',
    };
    const file2 = write(path.join(home, '.docker', 'config.json'), JSON.stringify(existing, null, 2));
    fs.chmodSync(file2, 0o644);
    updateDockerConfig(file2, (raw) => {
      (raw.auths as Record<string, unknown>).h = { auth: 'y' };
    });
    const back = JSON.parse(fs.readFileSync(file2, 'utf8'));
    expect(back).toEqual({ ...existing, auths: { ...existing.auths, h: { auth: 'y' } } });
    expect(Object.keys(back)).toEqual(Object.keys(existing));
    expect(fs.statSync(file2).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file2))).toEqual(['config.json']);
  });

  test('a symlinked config is written at its target', () => {
    const target = write(path.join(home, 'dotfiles', 'docker.json'), { auths: {} });
    const link = path.join(home, '.docker', 'config.json');
    fs.mkdirSync(path.dirname(link));
    fs.symlinkSync(target, link);
    updateDockerConfig(link, (raw) => {
      raw.auths = { h: {} };
    });
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(fs.readFileSync(target, 'utf8'))).toEqual({ auths: { h: {} } });
  });

  test('a malformed file is not overwritten', () => {
    const file = write(path.join(home, 'config.json'), '{"auths": ');
    expect(caught(() => updateDockerConfig(file, () => undefined)).code).toBe('CONFIG_INVALID');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"auths": ');
  });

  test('an unwritable folder is CONFIG_INVALID, no temporary file left', () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: a path under a regular file stands in for an unwritable folder.
      const blocker = write(path.join(home, 'file'), '');
      const err = caught(() => updateDockerConfig(path.join(blocker, 'config.json'), () => undefined));
      expect(err.code).toBe('CONFIG_INVALID');
      return;
    }
    const dir = path.join(home, 'ro');
    fs.mkdirSync(dir, { mode: 0o500 });
    const err = caught(() => updateDockerConfig(path.join(dir, 'config.json'), () => undefined));
    expect(err.message).toMatch(/cannot write .*config\.json \(EACCES\)/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('precedence across files', () => {
  const docker = () => path.join(home, '.docker', 'config.json');
  const helm = () => path.join(home, '.config', 'helm', 'registry', 'config.json');
  const podman = () => path.join(home, '.config', 'containers', 'auth.json');

  test("Docker's entry first, then Helm's, then podman's", async () => {
    write(podman(), { auths: { h: { auth: b64('podman:p') }, p: { auth: b64('podman:p') } } });
    write(helm(), { auths: { h: { auth: b64('helm:p') }, hh: { auth: b64('helm:p') } } });
    write(docker(), { auths: { h: { auth: b64('docker:p') } } });
    const find = (r: string) => findCredentials(r, { env: {}, home });
    expect(await find('h')).toEqual({
      credentials: { kind: 'basic', username: 'docker', password: 'p' },
      file: docker(),
      source: 'docker',
    });
    expect(await find('hh')).toMatchObject({ credentials: { username: 'helm' }, source: 'helm' });
    expect(await find('p')).toMatchObject({ credentials: { username: 'podman' }, source: 'containers' });
    expect(await find('none')).toBeUndefined();
  });

  test('an empty Docker entry lets the next file answer', async () => {
    write(docker(), { auths: { h: {} } });
    write(helm(), { auths: { h: { auth: b64('helm:p') } } });
    expect(await findCredentials('h', { env: {}, home })).toMatchObject({ source: 'helm' });
  });

  test('a malformed fallback file is read only when needed, then refused', async () => {
    write(docker(), { auths: { h: { auth: b64('docker:p') } } });
    write(helm(), '{');
    expect(await findCredentials('h', { env: {}, home })).toMatchObject({ source: 'docker' });
    await expect(findCredentials('other', { env: {}, home })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
