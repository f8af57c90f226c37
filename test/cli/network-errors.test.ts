// Faults of the network never turn into success: real loopback servers (127.0.0.1 only) that present a certificate
// from the wrong CA, or answer 200 with HTML or garbage to everything, run through the whole CLI.
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { nodeHttpClient } from '../../src/repo/http.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTestCerts, type TestCerts } from '../helpers/test-certs.js';

type Server = http.Server | https.Server | http2.Http2SecureServer;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-neterr-'));
const servers: Server[] = [];
let certs: TestCerts;
/** Kubeconfigs by the server they point at. */
const kc: Record<string, string> = {};
const url: Record<string, string> = {};

function html(_req: unknown, res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Sign in</body></html>');
}

/** A kubeconfig for `server`: trusting `ca`, or without TLS checks for a plain http server. */
function kubeconfig(name: string, server: string, ca?: Buffer): string {
  const file = path.join(dir, name);
  const trust = ca ? `certificate-authority-data: ${ca.toString('base64')}` : 'insecure-skip-tls-verify: true';
  fs.writeFileSync(file, `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: '${server}', ${trust} } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u, namespace: ns } }]
current-context: x
`);
  return file;
}

async function listen(name: string, server: Server, scheme: string): Promise<void> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url[name] = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  certs = makeTestCerts();
  const tls = { key: certs.key, cert: certs.cert };
  await listen('h2', http2.createSecureServer(tls, html as never), 'https');
  await listen('h1', https.createServer(tls, html), 'https');
  await listen('html', http.createServer(html), 'http');
  await listen('json', http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' })
    .end('{"hello":"world"}')), 'http');
  kc.html = kubeconfig('html', url.html);
  kc.json = kubeconfig('json', url.json);
  // The servers' certificates are signed by certs.ca; the clients trust only certs.otherCa.
  kc.h2 = kubeconfig('h2', url.h2, certs.otherCa);
  kc.h1 = kubeconfig('h1', url.h1, certs.otherCa);
});

afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('200 answers that are not the API\'s', () => {
  test.each([
    ['html', ['list']], ['html', ['status', 'x']], ['html', ['lint', 'charts/mysql', '--server']],
    ['html', ['install', 'my', 'charts/mysql', '--set', 'rootPassword=root']], ['html', ['history', 'x']],
    ['json', ['list']], ['json', ['status', 'x']], ['json', ['lint', 'charts/mysql', '--server']],
    ['json', ['install', 'my', 'charts/mysql', '--set', 'rootPassword=root']],
  ])('from a %s server: kc %j exits 5 with RESPONSE_INVALID, never 0 or 1', async (server, args) => {
    const run = await runCli([...args, '--kubeconfig', kc[server]]);
    expect(run.stderr).toMatch(/^Error \[RESPONSE_INVALID\]: .*: the answer is not a Kubernetes API answer: /m);
    expect(run.stderr).toContain("check the kubeconfig cluster's server address");
    expect(run.code).toBe(5);
  });

  test.each(['html', 'json'])('a repository index.yaml of %s is REPO_INDEX_INVALID (exit 8), not added', async (s) => {
    const run = await runCli(['repo', 'add', `bad${s}`, url[s]]);
    expect(run.stderr).toContain(`Error [REPO_INDEX_INVALID]: ${url[s]}/index.yaml is not a chart repository index`);
    expect(run.code).toBe(8);
    expect((await runCli(['repo', 'list'])).stdout).not.toContain(`bad${s}`);
  });
});

describe('a server certificate from another CA than the client trusts', () => {
  test.each([
    ['h2', ['list']], ['h1', ['list']], ['h2', ['status', 'x']], ['h2', ['lint', 'charts/mysql', '--server']],
    ['h1', ['install', 'my', 'charts/mysql', '--set', 'rootPassword=root']],
  ])('kube API over %s: kc %j exits 5 with TLS_FAILED naming the server and the reason', async (server, args) => {
    const run = await runCli([...args, '--kubeconfig', kc[server]]);
    expect(run.stderr).toContain(`Error [TLS_FAILED]: TLS with the Kubernetes API server at ${url[server]} (context x) `
      + 'failed: unable to verify the first certificate');
    expect(run.stderr).toContain('certificate-authority-data');
    expect(run.code).toBe(5);
  });

  test('a repository: kc repo add exits 5 with TLS_FAILED, and nothing is added', async () => {
    const http = nodeHttpClient({ ca: certs.otherCa, timeoutMs: 5000 });
    const run = await runCli(['repo', 'add', 'wrongca', url.h1], { ctx: { http } });
    const host = new URL(url.h1).host;
    expect(run.stderr).toContain(`Error [TLS_FAILED]: cannot download ${url.h1}/index.yaml: TLS with ${host} failed: `
      + 'unable to verify the first certificate');
    expect(run.stderr).toContain('NODE_EXTRA_CA_CERTS');
    expect(run.code).toBe(5);
    expect((await runCli(['repo', 'list'])).stdout).not.toContain('wrongca');
  });
});
