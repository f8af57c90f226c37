// kc uses a proxy exactly where kubectl does, through one CONNECT proxy on 127.0.0.1 in front of the local control
// plane: HTTPS_PROXY is not used for a loopback server (Go never proxies loopback from the environment), a cluster's
// proxy-url is; HTTPS_PROXY is used for a server named by a name that resolves to loopback (from /etc/hosts), unless
// NO_PROXY names it. Both tools must succeed, and the proxy must see the same tunnels from each.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { USER_AGENT } from '../../src/net/user-agent.js';
import { startConnectProxy, type ConnectProxy } from '../helpers/connect-proxy.js';
import { repoRoot } from '../helpers/run-cli.js';
import { kubeconfigPath } from './helpers/cluster.js';
import { kubectlPath } from './helpers/kubectl.js';
import { loopbackHostsName } from '../helpers/hosts-name.js';

const kubectl = kubectlPath();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-proxy-kubectl-'));
// A name /etc/hosts gives a loopback address (not localhost, which Go never proxies).
const hostsName = loopbackHostsName();

let proxy: ConnectProxy;
let port = '';
beforeAll(async () => {
  proxy = await startConnectProxy();
});
afterAll(async () => {
  await proxy.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the test cluster's kubeconfig with its current cluster changed. */
function kubeconfigWith(name: string, change: (cluster: Record<string, unknown>) => void): string {
  const doc = parse(fs.readFileSync(kubeconfigPath(), 'utf8'));
  const context = doc.contexts.find((c: { name: string }) => c.name === doc['current-context']).context;
  const cluster = doc.clusters.find((c: { name: string }) => c.name === context.cluster).cluster;
  port = new URL(cluster.server).port;
  change(cluster);
  const file = path.join(dir, name);
  fs.writeFileSync(file, stringify(doc));
  return file;
}

/** Runs a command (bounded to 60 s); resolves with its exit code and output. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const options = { env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000, cwd: repoRoot };
    execFile(file, args, options, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

const NO_ENV = { HTTPS_PROXY: '', https_proxy: '', NO_PROXY: '', no_proxy: '' };

/** The tunnels kubectl and kc each opened through the proxy, after both succeeded. */
async function tunnels(kubeconfig: string, env: NodeJS.ProcessEnv) {
  proxy.seen.length = 0;
  const k = await run(kubectl, ['get', 'ns', '-o', 'name', '--request-timeout=20s', '--kubeconfig', kubeconfig], env);
  expect(k).toMatchObject({ code: 0 });
  const byKubectl = proxy.seen.map((s) => s.target);
  proxy.seen.length = 0;
  const kc = await run(process.execPath, [path.join(repoRoot, 'bin/kc.cjs'), 'list', '--kubeconfig', kubeconfig], env);
  expect(kc).toMatchObject({ code: 0 });
  expect(proxy.seen.every((s) => s.headers['user-agent'] === USER_AGENT)).toBe(true);
  return { kubectl: [...new Set(byKubectl)], kc: [...new Set(proxy.seen.map((s) => s.target))] };
}

describe('kc and kubectl use the same proxy', () => {
  test('HTTPS_PROXY with a loopback server: neither goes through it', async () => {
    const file = kubeconfigWith('plain', () => undefined);
    const seen = await tunnels(file, { ...NO_ENV, HTTPS_PROXY: proxy.url });
    expect(seen).toEqual({ kubectl: [], kc: [] });
  });

  test('proxy-url with a loopback server: both go through it', async () => {
    const file = kubeconfigWith('proxy-url', (c) => void (c['proxy-url'] = proxy.url));
    const seen = await tunnels(file, NO_ENV);
    expect(seen).toEqual({ kubectl: [`127.0.0.1:${port}`], kc: [`127.0.0.1:${port}`] });
  });

  // Without such a name in /etc/hosts, `localhost` stands in: Go never proxies it, and kc must agree.
  const name = hostsName ?? 'localhost';
  test(`HTTPS_PROXY, server named ${name}: both go through it (not localhost), unless NO_PROXY names it`, async () => {
    const file = kubeconfigWith('named', (c) => {
      c.server = `https://${name}:${new URL(String(c.server)).port}`;
      c['tls-server-name'] = 'localhost';
    });
    const via = await tunnels(file, { ...NO_ENV, HTTPS_PROXY: proxy.url });
    const through = hostsName ? [`${name}:${port}`] : [];
    expect(via).toEqual({ kubectl: through, kc: through });
    const direct = await tunnels(file, { ...NO_ENV, HTTPS_PROXY: proxy.url, NO_PROXY: `example.com,${name}` });
    expect(direct).toEqual({ kubectl: [], kc: [] });
  });
});
