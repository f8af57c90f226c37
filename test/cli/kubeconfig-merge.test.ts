// KUBECONFIG=a:missing:b where a's user runs an exec plugin: kc talks to a's cluster with the plugin's token, as
// kubectl would (first file's current-context, cluster and user win; the missing file is skipped). b's server is a
// different loopback port that must receive nothing. Both are real https servers on 127.0.0.1.
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';
import { makeTestCerts } from '../helpers/test-certs.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-kubeconfig-cli-'));
const servers: https.Server[] = [];
/** Requests each server saw: path and Authorization header. */
const seen: Record<'a' | 'b', { path: string; authorization?: string }[]> = { a: [], b: [] };
const savedKubeconfig = process.env.KUBECONFIG;
const pluginRuns = path.join(dir, 'plugin-runs');

/** Answers like an API server with no releases: empty lists, a version, 404 for the rest. */
function apiServer(name: 'a' | 'b', tls: { key: Buffer; cert: Buffer }): https.Server {
  return https.createServer(tls, (req, res) => {
    seen[name].push({ path: req.url ?? '', authorization: req.headers.authorization });
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    if (url.pathname === '/version') return json(200, { major: '1', minor: '36', gitVersion: 'v1.36.3' });
    const kind = /\/(secrets|leases|configmaps)$/.exec(url.pathname)?.[1];
    if (req.method === 'GET' && kind) {
      const listKind = { secrets: 'SecretList', leases: 'LeaseList', configmaps: 'ConfigMapList' }[kind];
      const apiVersion = kind === 'leases' ? 'coordination.k8s.io/v1' : 'v1';
      return json(200, { kind: listKind, apiVersion, metadata: { resourceVersion: '1' }, items: [] });
    }
    json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
  });
}

async function listen(server: https.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const certs = makeTestCerts();
  const tls = { key: certs.key, cert: certs.cert };
  const [urlA, urlB] = [await listen(apiServer('a', tls)), await listen(apiServer('b', tls))];
  const plugin = path.join(dir, 'plugin.mjs');
  const credential = {
    apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'exec-a' },
  };
  fs.writeFileSync(plugin, `import fs from 'node:fs';
fs.appendFileSync(${JSON.stringify(pluginRuns)}, 'ran\\n');
process.stdout.write(${JSON.stringify(JSON.stringify(credential))});
`);
  const ca = certs.ca.toString('base64');
  fs.writeFileSync(path.join(dir, 'a.yaml'), `apiVersion: v1
kind: Config
clusters: [{name: shared, cluster: {server: '${urlA}', certificate-authority-data: ${ca}}}]
users:
- name: shared-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ${JSON.stringify(process.execPath)}
      args: [${JSON.stringify(plugin)}]
      interactiveMode: Never
contexts: [{name: a, context: {cluster: shared, user: shared-user, namespace: ns-a}}]
current-context: a
`);
  // The same cluster and user names, pointing at b; its own current-context, also at b.
  fs.writeFileSync(path.join(dir, 'b.yaml'), `apiVersion: v1
kind: Config
clusters:
- {name: shared, cluster: {server: '${urlB}', certificate-authority-data: ${ca}}}
- {name: only-b, cluster: {server: '${urlB}', certificate-authority-data: ${ca}}}
users: [{name: shared-user, user: {token: token-b}}]
contexts:
- {name: b, context: {cluster: only-b, user: shared-user, namespace: ns-b}}
- {name: b-shared, context: {cluster: shared, user: shared-user, namespace: ns-b}}
current-context: b
`);
  process.env.KUBECONFIG = ['a.yaml', 'missing.yaml', 'b.yaml'].map((f) => path.join(dir, f)).join(path.delimiter);
});

afterAll(async () => {
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedKubeconfig;
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('KUBECONFIG=a:missing:b with an exec user in a', () => {
  test('kc list talks to a\'s cluster with the exec plugin\'s token in a\'s namespace; b gets nothing', async () => {
    const run = await runCli(['list']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(seen.a.length).toBeGreaterThan(0);
    for (const request of seen.a) expect(request.authorization).toBe('Bearer exec-a');
    expect(seen.a.some((r) => r.path.includes('/namespaces/ns-a/'))).toBe(true);
    expect(fs.readFileSync(pluginRuns, 'utf8')).toMatch(/^ran\n/);
    expect(seen.b).toEqual([]);
  });

  test('-n and --context as kubectl: b\'s context resolves "shared" and "shared-user" to a\'s', async () => {
    seen.a.length = 0;
    const run = await runCli(['list', '--context', 'b-shared', '-n', 'from-flag']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(seen.a.length).toBeGreaterThan(0);
    for (const request of seen.a) expect(request.authorization).toBe('Bearer exec-a');
    expect(seen.a.some((r) => r.path.includes('/namespaces/from-flag/'))).toBe(true);
    expect(seen.a.some((r) => r.path.includes('/namespaces/ns-'))).toBe(false);
    expect(seen.b).toEqual([]);
  });

  test('--kubeconfig b.yaml reads b alone: its token, its server', async () => {
    seen.a.length = 0;
    const run = await runCli(['list', '--kubeconfig', path.join(dir, 'b.yaml')]);
    expect(run.code).toBe(0);
    expect(seen.a).toEqual([]);
    expect(seen.b.length).toBeGreaterThan(0);
    for (const request of seen.b) expect(request.authorization).toBe('Bearer token-b');
    expect(seen.b.some((r) => r.path.includes('/namespaces/ns-b/'))).toBe(true);
  });
});
