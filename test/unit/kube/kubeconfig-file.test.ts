import crypto from 'node:crypto';
import fs from 'node:fs';
import type https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { readKubeconfigFile, type Unsupported } from '../../../src/kube/kubeconfig-file.js';
import { loadClusterConnection, type ClusterConnection, type ClusterSelector } from '../../../src/kube/kubeconfig.js';
import { KcError } from '../../../src/errors/index.js';

// Throwaway PEM-looking material: nothing here ever connects, so only the bytes matter.
const pem = (label: string) => `-----BEGIN ${label}-----\n${crypto.randomBytes(96).toString('base64')}\n-----END ${label}-----\n`;
const CA = pem('CERTIFICATE');
const CERT = pem('CERTIFICATE');
const KEY = pem('PRIVATE KEY');
const b64 = (s: string) => Buffer.from(s).toString('base64');

let dir: string;
let n = 0;
const savedKubeconfig = process.env.KUBECONFIG;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-kubeconfig-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedKubeconfig;
});

/** Writes `text` to a fresh subdirectory (with optional sibling files) and returns the kubeconfig path. */
function write(text: string, siblings: Record<string, string> = {}): string {
  const sub = path.join(dir, `k${n++}`);
  fs.mkdirSync(path.join(sub, 'pki'), { recursive: true });
  for (const [name, content] of Object.entries(siblings)) fs.writeFileSync(path.join(sub, name), content);
  const file = path.join(sub, 'config');
  fs.writeFileSync(file, text);
  return file;
}

/** A one-context kubeconfig with the given cluster and user bodies (YAML, indented by 4). */
function config(cluster: string, user: string, extra = ''): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster:
${cluster}
users:
- name: u1
  user:
${user}
contexts:
- name: ctx1
  context:
    cluster: c1
    user: u1
    namespace: team-a
- name: ctx2
  context:
    cluster: c1
    user: u1
current-context: ctx1
${extra}`;
}

/** What loadClusterConnection produced before the fast path: client-node's reading of the same file. */
async function viaClientNode(selector: ClusterSelector & { kubeconfig: string }): Promise<ClusterConnection> {
  const kc = new KubeConfig();
  kc.loadFromFile(selector.kubeconfig);
  if (selector.context && selector.context !== 'current') kc.setCurrentContext(selector.context);
  const requestOptions: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(requestOptions);
  // The agent client-node builds is not used by kc's transport, which makes its own from these fields.
  delete requestOptions.agent;
  return {
    server: kc.getCurrentCluster()!.server.replace(/\/+$/, ''),
    context: kc.getCurrentContext(),
    namespace: kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default',
    requestOptions,
    user: kc.getCurrentUser()?.name,
  };
}

function fast(selector: ClusterSelector): ClusterConnection {
  const result = readKubeconfigFile(selector);
  if ('unsupported' in result) throw new Error(`fast path declined: ${result.unsupported}`);
  return result;
}

function caught(fn: () => unknown): KcError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KcError);
    return err as KcError;
  }
  throw new Error('expected a KcError');
}

const DATA_CLUSTER = `    server: https://127.0.0.1:6443/
    certificate-authority-data: ${b64(CA)}`;
const DATA_USER = `    client-certificate-data: ${b64(CERT)}
    client-key-data: ${b64(KEY)}`;

describe('readKubeconfigFile matches client-node', () => {
  // Every row has three cells: with fewer, jest passes its `done` callback as the missing argument.
  const shapes: [string, () => string, string | undefined][] = [
    ['inline certificate data', () => write(config(DATA_CLUSTER, DATA_USER)), undefined],
    [
      'certificate files with paths relative to the kubeconfig',
      () =>
        write(
          config(
            `    server: https://127.0.0.1:6443\n    certificate-authority: pki/ca.crt`,
            `    client-certificate: pki/admin.crt\n    client-key: ./pki/admin.key`,
          ),
          { 'pki/ca.crt': CA, 'pki/admin.crt': CERT, 'pki/admin.key': KEY },
        ),
      undefined,
    ],
    ['a bearer token', () => write(config(DATA_CLUSTER, `    token: abc.def-ghi`)), undefined],
    ['basic auth', () => write(config(DATA_CLUSTER, `    username: admin\n    password: s3cret`)), undefined],
    ['insecure-skip-tls-verify', () => write(config(`    server: https://10.0.0.1:6443\n    insecure-skip-tls-verify: true`, `    token: t`)), undefined],
    ['insecure over plain http', () => write(config(`    server: http://127.0.0.1:8080\n    insecure-skip-tls-verify: true`, `    token: t`)), undefined],
    ['insecure-skip-tls-verify: false', () => write(config(`    server: https://10.0.0.1:6443\n    insecure-skip-tls-verify: false`, DATA_USER)), undefined],
    ['tls-server-name', () => write(config(`${DATA_CLUSTER}\n    tls-server-name: kubernetes.default`, DATA_USER)), undefined],
    ['ignorable extensions and disable-compression', () => write(config(`${DATA_CLUSTER}\n    disable-compression: true\n    extensions: []`, DATA_USER)), undefined],
    ['an empty user', () => write(config(DATA_CLUSTER, `    {}`)), undefined],
    ['--context selecting a non-current context', () => write(config(DATA_CLUSTER, DATA_USER)), 'ctx2'],
    ['--context current', () => write(config(DATA_CLUSTER, DATA_USER)), 'current'],
  ];

  test.each(shapes)('%s', async (_name, make, context) => {
    const kubeconfig = make();
    const got = fast({ kubeconfig, context });
    expect(got).toStrictEqual(await viaClientNode({ kubeconfig, context }));
  });

  test('the local cluster kubeconfig, when present', async () => {
    const kubeconfig = path.resolve('.kc/cluster/kubeconfig');
    if (!fs.existsSync(kubeconfig)) return;
    expect(fast({ kubeconfig })).toStrictEqual(await viaClientNode({ kubeconfig }));
  });

  test('spot check: the fields kc uses', () => {
    const got = fast({ kubeconfig: write(config(DATA_CLUSTER, `    token: tok\n    username: u\n    password: p`)) });
    expect(got.server).toBe('https://127.0.0.1:6443');
    expect(got.namespace).toBe('team-a');
    expect(got.user).toBe('u1');
    expect(got.requestOptions.ca).toEqual(Buffer.from(CA));
    expect(got.requestOptions.headers).toEqual({ Authorization: 'Bearer tok' });
    expect(got.requestOptions.auth).toBe('u:p');
    expect(got.requestOptions.rejectUnauthorized).toBeUndefined();
  });
});

describe('readKubeconfigFile beyond client-node (kubectl semantics)', () => {
  test('tokenFile is read relative to the kubeconfig and trimmed', () => {
    const kubeconfig = write(config(DATA_CLUSTER, `    tokenFile: token.txt`), { 'token.txt': '  file-token\n' });
    expect(fast({ kubeconfig }).requestOptions.headers).toEqual({ Authorization: 'Bearer file-token' });
  });

  test('an inline token wins over tokenFile', () => {
    const kubeconfig = write(config(DATA_CLUSTER, `    token: inline\n    tokenFile: token.txt`), { 'token.txt': 'file' });
    expect(fast({ kubeconfig }).requestOptions.headers).toEqual({ Authorization: 'Bearer inline' });
  });

  test('KUBECONFIG merges files: first definition wins, current-context from the first file that sets it', () => {
    const first = write(
      `clusters:
- name: shared
  cluster:
    server: https://first:6443
    certificate-authority: ca.crt
users:
- name: shared-user
  user:
    token: first-token
contexts:
- name: a
  context: { cluster: shared, user: shared-user, namespace: from-first }
`,
      { 'ca.crt': CA },
    );
    const second = write(
      `clusters:
- name: shared
  cluster: { server: https://second:6443 }
- name: only-second
  cluster:
    server: https://only-second:6443
    certificate-authority: ca.crt
users:
- name: shared-user
  user: { token: second-token }
- name: second-user
  user:
    client-certificate: pki/c.crt
    client-key-data: ${b64(KEY)}
contexts:
- name: a
  context: { cluster: only-second, user: second-user }
- name: b
  context: { cluster: only-second, user: second-user }
current-context: a
`,
      { 'ca.crt': 'second-ca', 'pki/c.crt': CERT },
    );
    const third = write(`current-context: b\n`);
    process.env.KUBECONFIG = [path.join(dir, 'missing-is-skipped'), first, second, third].join(path.delimiter);

    expect(fast({})).toStrictEqual({
      server: 'https://first:6443',
      context: 'a',
      namespace: 'from-first',
      requestOptions: { ca: Buffer.from(CA), headers: { Authorization: 'Bearer first-token' } },
      user: 'shared-user',
    });
    // Entries only the second file defines resolve their relative paths against the second file's directory.
    expect(fast({ context: 'b' })).toStrictEqual({
      server: 'https://only-second:6443',
      context: 'b',
      namespace: 'default',
      requestOptions: { ca: Buffer.from('second-ca'), cert: Buffer.from(CERT), key: Buffer.from(KEY), headers: {} },
      user: 'second-user',
    });
  });

  test('a context without a user, or naming an undefined one, sends no credentials but keeps the cluster TLS', () => {
    const base = config(DATA_CLUSTER, DATA_USER);
    const noUser = base.replace('    user: u1\n    namespace: team-a\n', '    namespace: team-a\n');
    const unknownUser = base.replace('    user: u1\n    namespace: team-a\n', '    user: gone\n');
    for (const text of [noUser, unknownUser]) {
      const got = fast({ kubeconfig: write(text) });
      expect(got.requestOptions).toStrictEqual({ ca: Buffer.from(CA), headers: {} });
      expect(got.server).toBe('https://127.0.0.1:6443');
    }
  });

  test('the default ~/.kube/config is not consulted when KUBECONFIG names files', () => {
    process.env.KUBECONFIG = write(config(DATA_CLUSTER, `    token: env`));
    expect(fast({}).requestOptions.headers).toEqual({ Authorization: 'Bearer env' });
  });
});

describe('readKubeconfigFile errors', () => {
  test('unknown --context lists the known ones', () => {
    const err = caught(() => readKubeconfigFile({ kubeconfig: write(config(DATA_CLUSTER, DATA_USER)), context: 'nope' }));
    expect(err.code).toBe('KUBECONFIG_INVALID');
    expect(err.message).toBe('context "nope" is not in the kubeconfig');
    expect(err.hint).toBe('known contexts: ctx1, ctx2');
  });

  test('a missing --kubeconfig file', () => {
    const file = path.join(dir, 'does-not-exist');
    const err = caught(() => readKubeconfigFile({ kubeconfig: file }));
    expect(err.code).toBe('KUBECONFIG_INVALID');
    expect(err.message).toBe(`kubeconfig ${file} does not exist`);
    expect(err.hint).toBe('pass an existing file with --kubeconfig or set KUBECONFIG');
  });

  test('malformed YAML', () => {
    const file = write('clusters:\n- name: a\n  cluster: {server: x\ncontexts: [\n');
    const err = caught(() => readKubeconfigFile({ kubeconfig: file }));
    expect(err.code).toBe('KUBECONFIG_INVALID');
    expect(err.message).toMatch(new RegExp(`^cannot read kubeconfig ${file.replace(/[.\\]/g, '\\$&')}: \\S`));
    expect(err.message).not.toContain('\n');
    expect(err.hint).toBe('check the file with `kubectl config view`');
  });

  test('no current context means no current cluster', () => {
    const file = write(config(DATA_CLUSTER, DATA_USER).replace('current-context: ctx1', ''));
    const err = caught(() => readKubeconfigFile({ kubeconfig: file }));
    expect(err.message).toBe('the kubeconfig has no current cluster');
  });

  test('a context naming a missing cluster means no current cluster', () => {
    const file = write(config(DATA_CLUSTER, DATA_USER).replace('cluster: c1\n    user: u1\n    namespace', 'cluster: gone\n    user: u1\n    namespace'));
    expect(caught(() => readKubeconfigFile({ kubeconfig: file })).message).toBe('the kubeconfig has no current cluster');
  });

  test('an unreadable referenced file names it and the kubeconfig', () => {
    const file = write(config(`    server: https://h:6443\n    certificate-authority: pki/missing.crt`, DATA_USER));
    const err = caught(() => readKubeconfigFile({ kubeconfig: file }));
    expect(err.code).toBe('KUBECONFIG_INVALID');
    expect(err.message).toContain(path.join(path.dirname(file), 'pki', 'missing.crt'));
    expect(err.message).toContain(`kubeconfig ${file}`);
    expect(err.hint).toBeTruthy();
  });
});

describe('readKubeconfigFile declines what it does not handle', () => {
  const declined: [string, string, string, string][] = [
    ['exec', DATA_CLUSTER, `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/echo`, 'user "u1" uses exec'],
    ['auth-provider', DATA_CLUSTER, `    auth-provider:\n      name: oidc\n      config: {}`, 'uses auth-provider'],
    ['impersonation', DATA_CLUSTER, `    token: t\n    as: someone`, 'uses as'],
    ['client-node token-file', DATA_CLUSTER, `    token-file: /tmp/x`, 'uses token-file'],
    ['plain http without insecure', `    server: http://127.0.0.1:8080`, `    token: t`, 'server http://127.0.0.1:8080'],
    ['username without password', DATA_CLUSTER, `    username: admin`, 'username and password'],
  ];
  test.each(declined)('%s', (_name, cluster, user, reason) => {
    const result = readKubeconfigFile({ kubeconfig: write(config(cluster, user)) }) as Unsupported;
    expect(result.unsupported).toContain(reason);
  });


  test('proxy-url is read without client-node (see kubeconfig-proxy.test.ts)', () => {
    const cluster = `${DATA_CLUSTER}\n    proxy-url: http://127.0.0.1:3128`;
    const result = readKubeconfigFile({ kubeconfig: write(config(cluster, '    token: t')) });
    expect(result).toMatchObject({ proxyUrl: 'http://127.0.0.1:3128' });
  });

  test('no kubeconfig file at all', () => {
    process.env.KUBECONFIG = path.join(dir, 'nothing-here');
    expect(readKubeconfigFile({})).toEqual({ unsupported: expect.any(String), noFile: true });
  });
});

describe('loadClusterConnection', () => {
  test('takes the fast path for a supported kubeconfig (tokenFile, which client-node ignores, is honoured)', async () => {
    const kubeconfig = write(config(DATA_CLUSTER, `    tokenFile: token.txt`), { 'token.txt': 'fast-path' });
    const conn = await loadClusterConnection({ kubeconfig });
    expect(conn.requestOptions.headers).toEqual({ Authorization: 'Bearer fast-path' });
    expect(conn.requestOptions.agent).toBeUndefined();
  });

  test('no kubeconfig anywhere, outside a pod, is a clear error (not client-node\'s localhost:8080 TLS complaint)', async () => {
    const savedHost = process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_HOST;
    process.env.KUBECONFIG = path.join(dir, 'nothing-here');
    try {
      await expect(loadClusterConnection({})).rejects.toMatchObject({
        code: 'KUBECONFIG_INVALID',
        message: `no kubeconfig found: KUBECONFIG (${process.env.KUBECONFIG}) names no existing file`,
        hint: 'pass --kubeconfig FILE, or set KUBECONFIG to the kubeconfig of your cluster',
      });
    } finally {
      if (savedHost !== undefined) process.env.KUBERNETES_SERVICE_HOST = savedHost;
    }
  });

  test('a kubeconfig client-node cannot turn into TLS options is a kubeconfig error, not an internal one', async () => {
    const kubeconfig = write(config(`    server: http://127.0.0.1:8080`, `    token: t`));
    await expect(loadClusterConnection({ kubeconfig })).rejects.toMatchObject({ code: 'KUBECONFIG_INVALID', message: expect.stringContaining(`cannot read kubeconfig ${kubeconfig}: `) });
  });

  test('falls back to client-node for an exec user', async () => {
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'from-exec' } });
    const user = `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/echo\n      args: [${JSON.stringify(credential)}]`;
    const kubeconfig = write(config(DATA_CLUSTER, user));
    expect('unsupported' in readKubeconfigFile({ kubeconfig })).toBe(true);
    const conn = await loadClusterConnection({ kubeconfig, context: 'ctx2' });
    expect(conn).toMatchObject({ server: 'https://127.0.0.1:6443', context: 'ctx2', namespace: 'default', user: 'u1' });
    expect(conn.requestOptions.headers).toEqual({ Authorization: 'Bearer from-exec' });
    expect(conn.requestOptions.ca).toEqual(Buffer.from(CA));
  });
});
