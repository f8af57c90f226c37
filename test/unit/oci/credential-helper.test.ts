// The credential helper protocol against a fake `docker-credential-test` on PATH: get/store/erase, identity tokens,
// "credentials not found", a missing helper, a failing, hanging, flooding or babbling one; no secret in any error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { helperErase, helperGet, helperStore } from '../../../src/oci/credential-helper.js';
import { dockerCredentialStore, findCredentials } from '../../../src/oci/credential-store.js';
import { KcError } from '../../../src/errors/index.js';
import { fakeCredentialHelper, type FakeCredentialHelper } from '../../helpers/fake-credential-helper.js';

const SECRET = 'hunter2-Secret-Value';
let helper: FakeCredentialHelper;
beforeEach(() => {
  helper = fakeCredentialHelper();
});
afterEach(() => helper.remove());

async function rejection(promise: Promise<unknown>): Promise<KcError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof KcError) return err;
    throw err;
  }
  throw new Error('expected a KcError');
}

const text = (err: KcError) => `${err.message}\n${err.hint}\n${err.details.join('\n')}`;

describe('the protocol', () => {
  test('store, get and erase one server URL; the URL goes on stdin', async () => {
    const env = helper.env();
    expect(await helperGet('test', '127.0.0.1:5000', { env })).toBeUndefined();
    await helperStore('test', '127.0.0.1:5000', { kind: 'basic', username: 'alice', password: SECRET }, { env });
    expect(helper.store()).toEqual({ '127.0.0.1:5000': { Username: 'alice', Secret: SECRET } });
    expect(await helperGet('test', '127.0.0.1:5000', { env })).toEqual({
      kind: 'basic',
      username: 'alice',
      password: SECRET,
    });
    expect(await helperGet('test', '127.0.0.1:5001', { env })).toBeUndefined();
    expect(await helperErase('test', '127.0.0.1:5000', { env })).toBe(true);
    expect(await helperErase('test', '127.0.0.1:5000', { env })).toBe(false);
    expect(helper.store()).toEqual({});
    const calls = helper.calls();
    expect(calls.map((c) => c.action)).toEqual(['get', 'store', 'get', 'get', 'erase', 'erase']);
    expect(calls[0].input).toBe('127.0.0.1:5000');
    expect(JSON.parse(calls[1].input)).toEqual({ ServerURL: '127.0.0.1:5000', Username: 'alice', Secret: SECRET });
  });

  test('an identity token travels as Username <token>', async () => {
    const env = helper.env();
    await helperStore('test', 'h', { kind: 'identity-token', token: SECRET }, { env });
    expect(helper.store().h).toEqual({ Username: '<token>', Secret: SECRET });
    expect(await helperGet('test', 'h', { env })).toEqual({ kind: 'identity-token', token: SECRET });
  });

  test('a registry token is not handed to a helper', async () => {
    const err = await rejection(
      helperStore('test', 'h', { kind: 'registry-token', token: SECRET }, { env: helper.env() }),
    );
    expect(err.code).toBe('USAGE');
    expect(helper.calls()).toEqual([]);
  });
});

describe('helpers that fail', () => {
  test('a missing helper names the program and the fix', async () => {
    const err = await rejection(helperGet('nonexistent', 'h', { env: helper.env() }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toBe('credential helper docker-credential-nonexistent is not installed (not found on PATH)');
    expect(err.hint).toContain('install docker-credential-nonexistent, or remove credsStore/credHelpers');
  });

  test('a suffix that is a path is refused before anything runs', async () => {
    for (const suffix of ['../../bin/sh', 'a/b', '', '-x']) {
      expect((await rejection(helperGet(suffix, 'h', { env: helper.env() }))).code).toBe('CONFIG_INVALID');
    }
  });

  test('a helper error is shown with its exit code, and the secret it echoes is masked', async () => {
    const err = await rejection(helperGet('test', 'h', { env: helper.env('fail') }));
    expect(err.code).toBe('CREDENTIAL_HELPER_FAILED');
    expect(err.message).toBe('credential helper docker-credential-test get failed (exit 3): the keychain is locked');
    const echoed = await rejection(
      helperStore('test', 'h', { kind: 'basic', username: 'u', password: SECRET }, { env: helper.env('echo') }),
    );
    expect(echoed.code).toBe('CREDENTIAL_HELPER_FAILED');
    expect(echoed.message).toContain('refused:');
    expect(text(echoed)).not.toContain(SECRET);
  });

  test('output that is not the JSON reply is refused without quoting it', async () => {
    await helperStore('test', 'h', { kind: 'basic', username: 'u', password: SECRET }, { env: helper.env() });
    const err = await rejection(helperGet('test', 'h', { env: helper.env('garbage') }));
    expect(err.code).toBe('CREDENTIAL_HELPER_FAILED');
    expect(err.message).toContain('printed no {ServerURL, Username, Secret} JSON');
    expect(text(err)).not.toContain(SECRET);
  });

  test('a helper that hangs is killed after the timeout', async () => {
    const started = Date.now();
    const err = await rejection(helperGet('test', 'h', { env: helper.env('hang'), timeoutMs: 700 }));
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toBe('credential helper docker-credential-test get did not finish within 0.7 s');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a helper that floods its output is stopped at the bound', async () => {
    const err = await rejection(helperGet('test', 'h', { env: helper.env('flood'), maxOutputBytes: 64 * 1024 }));
    expect(err.code).toBe('CREDENTIAL_HELPER_FAILED');
    expect(err.message).toContain('printed more than 65536 bytes');
  });
});

describe('a store over the Docker config and its helpers', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-cred-store-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  const writeConfig = (content: unknown) => {
    fs.mkdirSync(path.join(home, '.docker'), { recursive: true });
    fs.writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify(content));
  };
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  test('a helper configured for the host is asked instead of auths (as Docker does)', async () => {
    writeConfig({ auths: { h: { auth: b64('file:p') } }, credHelpers: { h: 'test' } });
    await helperStore('test', 'h', { kind: 'basic', username: 'helper', password: 'p' }, { env: helper.env() });
    expect(await findCredentials('h', { env: helper.env(), home })).toEqual({
      credentials: { kind: 'basic', username: 'helper', password: 'p' },
      file: path.join(home, '.docker', 'config.json'),
      source: 'docker',
      helper: 'test',
    });
  });

  test('credsStore serves every host without a credHelpers entry; Docker Hub is asked by its index URL', async () => {
    writeConfig({ credsStore: 'test', credHelpers: { other: 'missing' } });
    const env = helper.env();
    await helperStore('test', 'https://index.docker.io/v1/', { kind: 'identity-token', token: 't' }, { env });
    expect(await findCredentials('docker.io', { env, home })).toMatchObject({
      credentials: { kind: 'identity-token' },
    });
    expect(await findCredentials('nothere', { env, home })).toBeUndefined();
    await expect(findCredentials('other', { env, home })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  test('the store asks a helper once per registry', async () => {
    writeConfig({ credsStore: 'test' });
    await helperStore('test', 'h', { kind: 'basic', username: 'u', password: 'p' }, { env: helper.env() });
    const store = dockerCredentialStore({ env: helper.env(), home });
    const [a, b] = await Promise.all([store.get('h'), store.get('h')]);
    expect(a).toEqual({ kind: 'basic', username: 'u', password: 'p' });
    expect(b).toEqual(a);
    expect(await store.get('h')).toEqual(a);
    expect(helper.calls().filter((c) => c.action === 'get')).toHaveLength(1);
  });
});
