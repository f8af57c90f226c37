// kc registry login/logout as actions: the registry is asked first (nothing written when it refuses), then the secret
// goes to the configured helper or into `auths` of Docker's config (0600, other keys kept); logout removes every key
// naming the host and erases the helper's copy; NOT_LOGGED_IN when there was nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { registryHost, registryLogin, registryLogout, type LoginCheck } from '../../../src/actions/registry.js';
import type { KcContext } from '../../../src/context.js';
import { KcError } from '../../../src/errors/index.js';
import { findCredentials } from '../../../src/oci/credential-store.js';
import type { RegistryCredentials } from '../../../src/oci/types.js';
import { nodeFileSystem } from '../../../src/io/file-system.js';
import { systemClock } from '../../../src/clock.js';
import { nodeHttpClient } from '../../../src/repo/http.js';
import { fakeCredentialHelper, type FakeCredentialHelper } from '../../helpers/fake-credential-helper.js';

const SECRET = 'pa55:word-Secret';
const b64 = (s: string) => Buffer.from(s).toString('base64');

let home: string;
let helper: FakeCredentialHelper;
let checked: { registry: string; credentials: RegistryCredentials }[];
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-registry-action-'));
  helper = fakeCredentialHelper();
  checked = [];
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
  helper.remove();
});

const configFile = () => path.join(home, '.docker', 'config.json');
const readConfig = () => JSON.parse(fs.readFileSync(configFile(), 'utf8'));
function writeConfig(content: unknown): void {
  fs.mkdirSync(path.dirname(configFile()), { recursive: true });
  fs.writeFileSync(configFile(), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

function context(env: Record<string, string | undefined> = helper.env()): KcContext {
  return {
    cwd: home,
    fs: nodeFileSystem,
    cacheDir: path.join(home, 'cache'),
    configDir: path.join(home, 'kc'),
    readStdin: () => '',
    connect: () => Promise.reject(new Error('no cluster in these tests')),
    http: nodeHttpClient(),
    clock: systemClock,
    registryAuth: { env, home },
  };
}

const accept: LoginCheck = async (registry, credentials) => {
  checked.push({ registry, credentials });
};
const refuse: LoginCheck = async (registry) => {
  throw new KcError('REGISTRY_AUTH_FAILED', `${registry} refused the credentials`);
};

async function rejection(promise: Promise<unknown>): Promise<KcError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof KcError) return err;
    throw err;
  }
  throw new Error('expected a KcError');
}

describe('registry hosts', () => {
  test.each([
    ['127.0.0.1:5000', '127.0.0.1:5000'],
    ['oci://GHCR.io/', 'ghcr.io'],
    ['https://registry.example.com:8443', 'registry.example.com:8443'],
    ['[::1]:5000', '[::1]:5000'],
  ])('%s → %s', (input, host) => expect(registryHost(input)).toBe(host));

  test.each([
    ['ghcr.io/org/repo', 'kc registry login ghcr.io'],
    ['not a host', 'HOST:PORT'],
    ['h:port', 'HOST:PORT'],
  ])('%s is USAGE (%s)', (input, hint) => {
    let err: unknown;
    try {
      registryHost(input);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'USAGE' });
    expect((err as KcError).hint).toContain(hint);
  });
});

describe('login', () => {
  test('checked first, then stored in auths as base64 user:password; file and folder created, mode 0600', async () => {
    const result = await registryLogin(
      context(),
      { registry: '127.0.0.1:5000', username: 'alice', password: SECRET },
      accept,
    );
    expect(checked).toEqual([
      { registry: '127.0.0.1:5000', credentials: { kind: 'basic', username: 'alice', password: SECRET } },
    ]);
    expect(result).toEqual({ registry: '127.0.0.1:5000', file: configFile() });
    expect(readConfig()).toEqual({ auths: { '127.0.0.1:5000': { auth: b64(`alice:${SECRET}`) } } });
    expect(fs.statSync(configFile()).mode & 0o777).toBe(0o600);
    // What kc (and any Docker-config reader) reads back.
    expect(await findCredentials('127.0.0.1:5000', { env: {}, home })).toMatchObject({
      credentials: { kind: 'basic', username: 'alice', password: SECRET },
    });
  });

  test('other keys and entries are kept; the same host is replaced', async () => {
    const existing = {
      auths: { 'ghcr.io': { auth: b64('g:h') }, '127.0.0.1:5000': { auth: b64('old:old') } },
      credHelpers: { 'gcr.io': 'gcloud' },
      psFormat: 'table {{.ID}}',
      experimental: 'enabled',
    };
    writeConfig(existing);
    await registryLogin(context(), { registry: '127.0.0.1:5000', username: 'alice', password: SECRET }, accept);
    const back = readConfig();
    expect(back).toEqual({
      ...existing,
      auths: { ...existing.auths, '127.0.0.1:5000': { auth: b64(`alice:${SECRET}`) } },
    });
    expect(Object.keys(back)).toEqual(Object.keys(existing));
  });

  test('Docker Hub is filed under its index URL', async () => {
    await registryLogin(context(), { registry: 'docker.io', username: 'u', password: 'p' }, accept);
    expect(Object.keys(readConfig().auths)).toEqual(['https://index.docker.io/v1/']);
  });

  test('a refused login writes nothing', async () => {
    const err = await rejection(registryLogin(context(), { registry: 'h:1', username: 'u', password: SECRET }, refuse));
    expect(err.code).toBe('REGISTRY_AUTH_FAILED');
    expect(fs.existsSync(configFile())).toBe(false);
    writeConfig({ auths: {} });
    await rejection(registryLogin(context(), { registry: 'h:1', username: 'u', password: SECRET }, refuse));
    expect(readConfig()).toEqual({ auths: {} });
  });

  test('a malformed config is refused before the registry is asked, and left as it was', async () => {
    writeConfig(`{"auths": {"h": {"auth": "${SECRET}"`);
    const err = await rejection(registryLogin(context(), { registry: 'h:1', username: 'u', password: 'p' }, accept));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toBe(`${configFile()}: is not valid JSON`);
    expect(`${err.message}${err.hint}`).not.toContain(SECRET);
    expect(checked).toEqual([]);
    expect(fs.readFileSync(configFile(), 'utf8')).toContain(SECRET);
  });

  test('empty user or password is USAGE', async () => {
    expect(
      (await rejection(registryLogin(context(), { registry: 'h', username: '', password: 'p' }, accept))).code,
    ).toBe('USAGE');
    expect(
      (await rejection(registryLogin(context(), { registry: 'h', username: 'u', password: '' }, accept))).code,
    ).toBe('USAGE');
  });

  test('with credsStore the secret goes to the helper; the file gets an empty entry (as Docker)', async () => {
    writeConfig({ credsStore: 'test' });
    const result = await registryLogin(context(), { registry: 'h:1', username: 'alice', password: SECRET }, accept);
    expect(result.helper).toBe('test');
    expect(helper.store()).toEqual({ 'h:1': { Username: 'alice', Secret: SECRET } });
    expect(readConfig()).toEqual({ credsStore: 'test', auths: { 'h:1': {} } });
    expect(fs.readFileSync(configFile(), 'utf8')).not.toContain(b64(`alice:${SECRET}`));
    expect(await findCredentials('h:1', { env: helper.env(), home })).toMatchObject({ helper: 'test' });
  });

  test('credHelpers for that host wins; other hosts still go to the file', async () => {
    writeConfig({ credHelpers: { 'h:1': 'test' } });
    await registryLogin(context(), { registry: 'h:1', username: 'a', password: SECRET }, accept);
    await registryLogin(context(), { registry: 'h:2', username: 'b', password: 'p' }, accept);
    expect(Object.keys(helper.store())).toEqual(['h:1']);
    expect(readConfig().auths).toEqual({ 'h:1': {}, 'h:2': { auth: b64('b:p') } });
  });

  test('a helper that is not installed is a clear error and nothing is written', async () => {
    writeConfig({ credsStore: 'absent' });
    const err = await rejection(registryLogin(context(), { registry: 'h:1', username: 'a', password: SECRET }, accept));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('docker-credential-absent is not installed');
    expect(readConfig()).toEqual({ credsStore: 'absent' });
  });
});

describe('logout', () => {
  test('removes every key naming the host, keeps the rest', async () => {
    writeConfig({ auths: { 'h:1': { auth: b64('a:b') }, 'https://h:1/v1/': { auth: b64('c:d') }, 'h:2': {} }, x: 1 });
    const result = await registryLogout(context(), { registry: 'h:1' });
    expect(result).toEqual({ registry: 'h:1', file: configFile(), removedKeys: ['h:1', 'https://h:1/v1/'] });
    expect(readConfig()).toEqual({ auths: { 'h:2': {} }, x: 1 });
    expect(fs.statSync(configFile()).mode & 0o777).toBe(0o600);
  });

  test("erases the helper's copy and the empty entry", async () => {
    writeConfig({ credsStore: 'test' });
    await registryLogin(context(), { registry: 'h:1', username: 'a', password: SECRET }, accept);
    const result = await registryLogout(context(), { registry: 'h:1' });
    expect(result.helper).toBe('test');
    expect(helper.store()).toEqual({});
    expect(readConfig()).toEqual({ credsStore: 'test', auths: {} });
  });

  test('not logged in → NOT_LOGGED_IN (exit 3), nothing written', async () => {
    const err = await rejection(registryLogout(context(), { registry: 'h:1' }));
    expect(err.code).toBe('NOT_LOGGED_IN');
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe(`not logged in to h:1: ${configFile()} has no credentials for it`);
    expect(fs.existsSync(configFile())).toBe(false);
    writeConfig({ credsStore: 'test', auths: { other: {} } });
    expect((await rejection(registryLogout(context(), { registry: 'h:1' }))).code).toBe('NOT_LOGGED_IN');
  });

  test('credentials only Helm keeps: the hint says how to remove them there', async () => {
    const helmFile = path.join(home, '.config', 'helm', 'registry', 'config.json');
    fs.mkdirSync(path.dirname(helmFile), { recursive: true });
    fs.writeFileSync(helmFile, JSON.stringify({ auths: { 'h:1': { auth: b64(`a:${SECRET}`) } } }));
    const err = await rejection(registryLogout(context(), { registry: 'h:1' }));
    expect(err.code).toBe('NOT_LOGGED_IN');
    expect(err.hint).toContain(`kc uses the credentials in ${helmFile}: remove them with \`helm registry logout h:1\``);
    expect(`${err.message}${err.hint}`).not.toContain(SECRET);
    expect(JSON.parse(fs.readFileSync(helmFile, 'utf8')).auths['h:1']).toBeDefined();
  });
});
