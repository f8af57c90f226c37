// `kc registry login|logout` (the built CLI, as users run it) against REAL distribution registries on 127.0.0.1:
// htpasswd over plain HTTP, htpasswd over TLS from a throwaway CA, and the token flow. A refused login writes nothing;
// an accepted one writes Docker's config.json, which kc push/pull, the in-process client and oras then use, and a
// config written by `oras login` is used by kc.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { dockerCredentialStore } from '../../src/oci/credential-store.js';
import { registryClient } from '../../src/oci/registry-client.js';
import { chartArtifact } from '../helpers/chart-artifact.js';
import { startRegistry, toolPath, type TestRegistry } from '../helpers/oci-registry.js';
import { repoRoot } from '../helpers/run-cli.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const WRONG = 'Wrong-Password-1234';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-registry-login-'));
  env = { ...process.env, HOME: home, DOCKER_CONFIG: path.join(home, '.docker'), NO_COLOR: '1', NO_PROXY: '*' };
  // Only this test's Docker config: no Helm or podman credentials of the machine.
  for (const name of [
    'HELM_REGISTRY_CONFIG',
    'HELM_CONFIG_HOME',
    'XDG_CONFIG_HOME',
    'REGISTRY_AUTH_FILE',
    'XDG_RUNTIME_DIR',
  ]) {
    delete env[name];
  }
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const configFile = () => path.join(home, '.docker', 'config.json');
const readConfig = () => JSON.parse(fs.readFileSync(configFile(), 'utf8'));

/** Runs a program with `stdin`, killed after 60 s. */
function run(program: string, args: string[], stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: home, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}
const kc = (args: string[], stdin?: string) =>
  run(process.execPath, [path.join(repoRoot, 'bin/kc.cjs'), ...args], stdin);

async function writeChart(): Promise<string> {
  const file = path.join(home, 'web-1.0.0.tgz');
  fs.writeFileSync(file, (await chartArtifact('web', '1.0.0')).archive);
  return file;
}

describe('htpasswd registry over plain HTTP', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'htpasswd' });
  });
  afterAll(async () => {
    await reg?.stop();
  });

  test('a wrong password is REGISTRY_AUTH_FAILED (exit 5) and nothing is written', async () => {
    const res = await kc(
      ['registry', 'login', reg.host, '-u', reg.username!, '--password-stdin', '--plain-http'],
      WRONG,
    );
    expect(res.code).toBe(5);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(`Error [REGISTRY_AUTH_FAILED]: ${reg.host} refused the credentials`);
    expect(res.stderr).not.toContain(WRONG);
    expect(res.stderr).not.toContain(b64(`${reg.username}:${WRONG}`));
    expect(fs.existsSync(configFile())).toBe(false);
  });

  test('login writes config.json; kc push, the client and oras use it; logout removes it', async () => {
    const login = await kc(
      ['registry', 'login', reg.host, '-u', reg.username!, '--password-stdin', '--plain-http'],
      `${reg.password}\n`,
    );
    expect(login.stdout).toBe('Login Succeeded\n');
    expect(login.code).toBe(0);
    expect(login.stderr).toContain(`WARNING: the password is stored unencrypted in ${configFile()}`);
    expect(readConfig()).toEqual({ auths: { [reg.host]: { auth: b64(`${reg.username}:${reg.password}`) } } });
    expect(fs.statSync(configFile()).mode & 0o777).toBe(0o600);

    // A new kc process reads it (DOCKER_CONFIG) to push.
    const chart = await writeChart();
    const pushed = await kc(['push', chart, `oci://${reg.host}/charts`, '--plain-http']);
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toContain(`oci://${reg.host}/charts/web:1.0.0`);

    // The registry client over a dockerCredentialStore reads it too.
    const credentials = dockerCredentialStore({ env: { DOCKER_CONFIG: env.DOCKER_CONFIG }, home });
    const client = registryClient({ connection: { plainHttp: true }, credentials });
    expect(await client.listTags({ registry: reg.host, repository: 'charts/web' })).toEqual(['1.0.0']);

    // So does oras (Docker's config format).
    const tags = await run(toolPath('oras'), ['repo', 'tags', '--plain-http', `${reg.host}/charts/web`]);
    expect(tags.stderr).toBe('');
    expect(tags.stdout).toBe('1.0.0\n');

    const logout = await kc(['registry', 'logout', reg.host]);
    expect([logout.code, logout.stdout, logout.stderr]).toEqual([
      0,
      `Removing login credentials for ${reg.host}\n`,
      '',
    ]);
    expect(readConfig()).toEqual({ auths: {} });
    const refused = await kc(['pull', `oci://${reg.host}/charts/web`, '--version', '1.0.0', '--plain-http']);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('[REGISTRY_AUTH_FAILED]');
    const again = await kc(['registry', 'logout', reg.host]);
    expect([again.code, again.stderr]).toEqual([3, expect.stringContaining('NOT_LOGGED_IN')]);
    expect(again.stderr).toContain(`Error [NOT_LOGGED_IN]: not logged in to ${reg.host}`);
  });

  test('on a terminal: asks for the user name, then the password without echoing it', async () => {
    // A pseudo-terminal from util-linux `script` (as test/integration/progress-tty.test.ts); what we write is typed.
    const command = [
      process.execPath,
      path.join(repoRoot, 'bin/kc.cjs'),
      'registry',
      'login',
      reg.host,
      '--plain-http',
    ];
    const child = spawn('script', ['-qfec', command.map((a) => `'${a}'`).join(' '), '/dev/null'], {
      cwd: home,
      env: { ...env, TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const shown = async (text: string) => {
      const deadline = Date.now() + 20_000;
      while (!output.includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(output).toContain(text);
      // The prompt is written just before the terminal is set up; typing waits a moment more.
      await new Promise((r) => setTimeout(r, 200));
    };
    try {
      await shown('Username: ');
      child.stdin.write(`${reg.username}\r`);
      await shown('Password: ');
      child.stdin.write(`${reg.password}\r`);
      expect(await exited).toBe(0);
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
    expect(output).toContain(`Username: ${reg.username}`);
    expect(output).toContain('Login Succeeded');
    expect(output).not.toContain(reg.password!);
    expect(readConfig().auths[reg.host]).toEqual({ auth: b64(`${reg.username}:${reg.password}`) });
  });

  test('credentials `oras login` wrote are used by kc pull', async () => {
    const chart = await writeChart();
    const oras = await run(
      toolPath('oras'),
      ['login', reg.host, '-u', reg.username!, '--password-stdin', '--plain-http'],
      reg.password,
    );
    expect(oras.code).toBe(0);
    expect(Object.keys(readConfig().auths)).toEqual([reg.host]);
    expect((await kc(['push', chart, `oci://${reg.host}/charts`, '--plain-http'])).code).toBe(0);
    const pulled = await kc([
      'pull',
      `oci://${reg.host}/charts/web`,
      '--version',
      '1.0.0',
      '--plain-http',
      '-d',
      'out',
    ]);
    expect(pulled.stderr).toBe('');
    expect(pulled.code).toBe(0);
    expect(fs.readFileSync(path.join(home, 'out', 'web-1.0.0.tgz'))).toEqual(fs.readFileSync(chart));
  });
});

describe('htpasswd registry over TLS from a throwaway CA', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'htpasswd', tls: true });
  });
  afterAll(async () => {
    await reg?.stop();
  });

  test('--ca-file trusts it; without it TLS_FAILED (exit 5); --insecure skips the check', async () => {
    fs.writeFileSync(path.join(home, 'ca.pem'), reg.caPem!);
    const base = ['registry', 'login', reg.host, '-u', reg.username!, '--password-stdin'];
    const untrusted = await kc(base, reg.password);
    expect(untrusted.code).toBe(5);
    expect(untrusted.stderr).toContain('[TLS_FAILED]');
    expect(fs.existsSync(configFile())).toBe(false);

    const trusted = await kc([...base, '--ca-file', 'ca.pem'], reg.password);
    expect([trusted.code, trusted.stdout]).toEqual([0, 'Login Succeeded\n']);
    expect(Object.keys(readConfig().auths)).toEqual([reg.host]);

    fs.rmSync(configFile());
    const insecure = await kc([...base, '--insecure'], reg.password);
    expect([insecure.code, insecure.stdout]).toEqual([0, 'Login Succeeded\n']);
    const wrong = await kc([...base, '--insecure-skip-tls-verify'], WRONG);
    expect(wrong.code).toBe(5);
    expect(wrong.stderr).toContain('[REGISTRY_AUTH_FAILED]');
  });
});

describe('token-auth registry', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'token' });
  });
  afterAll(async () => {
    await reg?.stop();
  });

  test('login goes through the token server; a wrong password is refused there', async () => {
    const base = ['registry', 'login', reg.host, '-u', reg.username!, '--password-stdin', '--plain-http'];
    const wrong = await kc(base, WRONG);
    expect(wrong.code).toBe(5);
    expect(wrong.stderr).toContain('[REGISTRY_AUTH_FAILED]');
    expect(fs.existsSync(configFile())).toBe(false);
    const right = await kc(base, reg.password);
    expect([right.code, right.stdout]).toEqual([0, 'Login Succeeded\n']);
    expect(reg.tokenRequests!.some((r) => r.account === reg.username && r.authenticated)).toBe(true);
    expect(reg.tokenRequests!.some((r) => r.account === reg.username && !r.authenticated)).toBe(true);
    expect(readConfig().auths[reg.host]).toEqual({ auth: b64(`${reg.username}:${reg.password}`) });
  });
});
