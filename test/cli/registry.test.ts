// `kc registry login|logout` through the real command tree, against a fake registry on 127.0.0.1 that answers /v2/
// with Basic authentication (the real checkLogin runs): how the password is given, what is printed and written.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';
import { fakeCredentialHelper, type FakeCredentialHelper } from '../helpers/fake-credential-helper.js';

const USER = 'admin';
const PASSWORD = 'right-Pa55word';
const WRONG = 'wrong-Pa55word';
const b64 = (s: string) => Buffer.from(s).toString('base64');

let server: http.Server;
let host: string;
const seen: (string | undefined)[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.headers.authorization);
    if (req.url !== '/v2/') return res.writeHead(404).end();
    if (req.headers.authorization === `Basic ${b64(`${USER}:${PASSWORD}`)}`) {
      return res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    }
    res.writeHead(401, { 'www-authenticate': 'Basic realm="kc-test"', 'content-type': 'application/json' });
    res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let home: string;
let helper: FakeCredentialHelper;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-cli-registry-'));
  helper = fakeCredentialHelper();
  seen.length = 0;
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
  helper.remove();
});

const configFile = () => path.join(home, 'docker', 'config.json');
const readConfig = () => JSON.parse(fs.readFileSync(configFile(), 'utf8'));
const kc = (args: string[], stdin?: string) =>
  runCli(args, {
    cwd: home,
    stdin,
    ctx: { registryAuth: { env: { ...helper.env(), DOCKER_CONFIG: path.join(home, 'docker') }, home } },
  });

describe('kc registry login', () => {
  test('--password-stdin: checked with the registry, written to auths, "Login Succeeded"', async () => {
    const run = await kc(['registry', 'login', host, '-u', USER, '--password-stdin', '--plain-http'], `${PASSWORD}\n`);
    expect(run.stdout).toBe('Login Succeeded\n');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      `WARNING: the password is stored unencrypted in ${configFile()}; a credential helper (credsStore) keeps it ` +
        'encrypted: https://docs.docker.com/reference/cli/docker/login/#credential-stores\n',
    );
    expect(seen).toContain(`Basic ${b64(`${USER}:${PASSWORD}`)}`);
    expect(readConfig()).toEqual({ auths: { [host]: { auth: b64(`${USER}:${PASSWORD}`) } } });
    expect(fs.statSync(configFile()).mode & 0o777).toBe(0o600);
  });

  test('a wrong password is REGISTRY_AUTH_FAILED (exit 5) and nothing is written or printed of it', async () => {
    const run = await kc(['registry', 'login', host, '-u', USER, '--password-stdin', '--plain-http'], WRONG);
    expect(run.code).toBe(5);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('[REGISTRY_AUTH_FAILED]');
    expect(run.stderr).toContain(`${host} refused the credentials`);
    expect(run.stderr).toContain('Hint: check the user name and the password or token');
    expect(run.stderr).not.toContain(WRONG);
    expect(run.stderr).not.toContain(b64(`${USER}:${WRONG}`));
    expect(fs.existsSync(configFile())).toBe(false);
  });

  test('-p works with a warning on stderr, as docker and helm give', async () => {
    const run = await kc(['registry', 'login', host, '-u', USER, '-p', PASSWORD, '--plain-http', '--insecure']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^WARNING: Using --password via the CLI is insecure\. Use --password-stdin\.\n/);
    expect(run.stdout).toBe('Login Succeeded\n');
  });

  test('with credsStore a helper keeps it: no unencrypted warning, an empty entry in the file', async () => {
    fs.mkdirSync(path.dirname(configFile()), { recursive: true });
    fs.writeFileSync(configFile(), JSON.stringify({ credsStore: 'test' }));
    const run = await kc(['registry', 'login', host, '-u', USER, '--password-stdin', '--plain-http'], PASSWORD);
    expect([run.code, run.stdout, run.stderr]).toEqual([0, 'Login Succeeded\n', '']);
    expect(helper.store()).toEqual({ [host]: { Username: USER, Secret: PASSWORD } });
    expect(readConfig()).toEqual({ credsStore: 'test', auths: { [host]: {} } });
  });

  test.each([
    [['-u', USER], 'no password given, and stdin is not a terminal to ask for one', undefined],
    [['-u', USER, '-p', 'x', '--password-stdin'], '--password and --password-stdin are mutually exclusive', 'x'],
    [['--password-stdin'], '--password-stdin needs --username', PASSWORD],
    [['-u', USER, '--password-stdin'], 'no password given', '\n'],
  ])('%j: %s (exit 2)', async (flags, message, stdin) => {
    const run = await kc(['registry', 'login', host, ...flags, '--plain-http'], stdin);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`[USAGE]: ${message}`);
    expect(seen).toEqual([]);
    expect(fs.existsSync(configFile())).toBe(false);
  });

  test('a repository path instead of a host is a usage error saying which host', async () => {
    const run = await kc(['registry', 'login', `oci://${host}/charts/web`, '-u', USER, '--password-stdin'], PASSWORD);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`kc registry login ${host}`);
  });

  test('a plain-HTTP registry without --plain-http fails with a hint to use it', async () => {
    const run = await kc(['registry', 'login', host, '-u', USER, '--password-stdin'], PASSWORD);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('--plain-http');
    expect(fs.existsSync(configFile())).toBe(false);
  });

  test('a malformed Docker config is CONFIG_INVALID naming the file, its content never printed', async () => {
    fs.mkdirSync(path.dirname(configFile()), { recursive: true });
    fs.writeFileSync(configFile(), `{"auths": {"x": {"auth": "${b64(`u:${PASSWORD}`)}"}},,}`);
    const run = await kc(['registry', 'login', host, '-u', USER, '--password-stdin', '--plain-http'], PASSWORD);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`[CONFIG_INVALID]: ${configFile()}: is not valid JSON`);
    expect(run.stderr).not.toContain(b64(`u:${PASSWORD}`));
    expect(seen).toEqual([]);
  });

  test('--help has examples and says where credentials go', async () => {
    const run = await kc(['registry', 'login', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('echo "$TOKEN" | kc registry login ghcr.io -u USER --password-stdin');
    expect(run.stdout).toContain('--insecure-skip-tls-verify');
    expect(run.stdout).toContain('~/.docker/config.json');
    expect((await kc(['registry', '--help'])).stdout).toMatch(/login .*\n.*logout/s);
  });
});

describe('kc registry logout', () => {
  test('removes the entry; a second logout is NOT_LOGGED_IN (exit 3)', async () => {
    expect((await kc(['registry', 'login', host, '-u', USER, '--password-stdin', '--plain-http'], PASSWORD)).code).toBe(
      0,
    );
    fs.writeFileSync(configFile(), JSON.stringify({ ...readConfig(), psFormat: 'x' }));
    const run = await kc(['registry', 'logout', host]);
    expect([run.code, run.stdout, run.stderr]).toEqual([0, `Removing login credentials for ${host}\n`, '']);
    expect(readConfig()).toEqual({ auths: {}, psFormat: 'x' });
    const again = await kc(['registry', 'logout', host]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain(
      `[NOT_LOGGED_IN]: not logged in to ${host}: ${configFile()} has no credentials for it`,
    );
  });

  test("erases the credential helper's copy", async () => {
    fs.mkdirSync(path.dirname(configFile()), { recursive: true });
    fs.writeFileSync(configFile(), JSON.stringify({ credHelpers: { [host]: 'test' } }));
    expect((await kc(['registry', 'login', host, '-u', USER, '--password-stdin', '--plain-http'], PASSWORD)).code).toBe(
      0,
    );
    expect(Object.keys(helper.store())).toEqual([host]);
    expect((await kc(['registry', 'logout', host])).code).toBe(0);
    expect(helper.store()).toEqual({});
  });
});
