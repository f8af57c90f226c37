// The seed's repository steps against a real HTTP server on 127.0.0.1 and the local control plane:
// package a chart, index and serve it, add the repository, search, install from it, publish a new version,
// update the repository, upgrade, and see both chart versions in the history.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, kubeconfigPath, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { historyOf } from './helpers/kc.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, writeChart } from '../fixtures/artifacts/helpers.js';

let ns: TestNamespace;
let server: http.Server;
let repoUrl: string;
const requests: string[] = [];
const t = tempDir('kc-repo-it-');
const site = path.join(t.dir, 'site');
// This test's own settings and caches: nothing of the user's, nothing shared with other test files.
const dirs = { configDir: path.join(t.dir, 'config'), cacheDir: path.join(t.dir, 'cache') };

/** kc in-process against the test cluster and namespace, with this test's repositories (like kcIn). */
const kc = (args: string[], ctx: Partial<typeof dirs> = {}) =>
  runCli([...args, '--kubeconfig', kubeconfigPath(), '-n', ns.name], { cwd: t.dir, ctx: { ...dirs, ...ctx } });
/** kc without cluster flags (repository commands). */
const kcLocal = (args: string[]) => runCli(args, { cwd: t.dir, ctx: dirs });

const configMap = (name: string) => makeKubeConfig().makeApiClient(k8s.CoreV1Api).readNamespacedConfigMap({ name, namespace: ns.name });

beforeAll(async () => {
  ns = await freshNamespace('repo');
  fs.mkdirSync(site);
  // A static file server for <site> under /charts/, bound to 127.0.0.1 only.
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const name = decodeURIComponent((req.url ?? '').replace(/^\/charts\//, ''));
    const file = path.join(site, name);
    if (!req.url?.startsWith('/charts/') || name.includes('/') || !fs.existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  repoUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/charts`;
  writeChart(path.join(t.dir, 'mychart'), { name: 'mychart', version: '0.1.0', description: 'My first kc chart.', keywords: ['demo'] });
});

afterAll(async () => {
  await ns?.cleanup();
  await new Promise((resolve) => server?.close(resolve));
  t.remove();
});

describe('a chart repository, end to end', () => {
  test('package, index with --url, serve, repo add newrepo', async () => {
    const pkg = await kcLocal(['package', 'mychart', '-d', 'site']);
    expect(pkg.stderr).toBe('');
    expect(pkg.stdout).toContain('Packaged mychart 0.1.0 to site/mychart-0.1.0.tgz');
    const index = await kcLocal(['repo', 'index', 'site', '--url', repoUrl]);
    expect(index.stdout).toBe('Indexed 1 chart archive(s) into site/index.yaml: mychart-0.1.0\n');
    const add = await kcLocal(['repo', 'add', 'newrepo', repoUrl]);
    expect(add.stderr).toBe('');
    expect(add.stdout).toBe('"newrepo" has been added to your repositories (1 chart)\n');
    expect(requests).toContain('/charts/index.yaml');
  });

  test('search repo finds it', async () => {
    const search = await kcLocal(['search', 'repo', 'mychart']);
    expect(search.stdout).toBe('NAME              CHART VERSION   APP VERSION   DESCRIPTION\nnewrepo/mychart   0.1.0                         My first kc chart.\n');
  });

  test('install myrel newrepo/mychart downloads, verifies and installs 0.1.0', async () => {
    const run = await kc(['install', 'myrel', 'newrepo/mychart', '--set', 'greeting=hi', '--timeout', '60s']);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Install complete');
    expect(requests).toContain('/charts/mychart-0.1.0.tgz');
    const cm = await configMap('myrel-mychart');
    expect(cm.data).toEqual({ greeting: 'hi' });
    expect(cm.metadata?.labels?.['kc.dev/chart']).toBe('mychart-0.1.0');
  });

  test('publish 0.2.0, repo update, upgrade to it; history shows both chart versions', async () => {
    expect((await kcLocal(['package', 'mychart', '--version', '0.2.0', '-d', 'site'])).code).toBe(0);
    expect((await kcLocal(['repo', 'index', 'site', '--url', repoUrl, '--merge', 'site/index.yaml'])).code).toBe(0);
    // Until the repository is updated, kc sees the index it cached.
    expect((await kcLocal(['search', 'repo', 'mychart'])).stdout).toContain('0.1.0');
    const update = await kcLocal(['repo', 'update']);
    expect(update.stdout).toContain('Successfully got an update from the "newrepo" chart repository (1 chart)');
    expect(JSON.parse((await kcLocal(['search', 'repo', 'mychart', '--versions', '-o', 'json'])).stdout).map((h: { version: string }) => h.version)).toEqual(['0.2.0', '0.1.0']);

    const run = await kc(['upgrade', 'myrel', 'newrepo/mychart', '--reuse-values', '--timeout', '60s']);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Upgrade complete');
    const cm = await configMap('myrel-mychart');
    expect(cm.metadata?.labels?.['kc.dev/chart']).toBe('mychart-0.2.0');
    expect(cm.data).toEqual({ greeting: 'hi' });

    const history = await historyOf(ns.name, 'myrel');
    expect(history.map((h) => [h.revision, h.status, h.chart.version])).toEqual([
      [1, 'superseded', '0.1.0'],
      [2, 'deployed', '0.2.0'],
    ]);
  });

  test('install also takes a .tgz file and an http URL of one', async () => {
    const fromFile = await kc(['install', 'fromfile', 'site/mychart-0.1.0.tgz', '--timeout', '60s']);
    expect(fromFile.stderr).not.toContain('Error');
    expect(fromFile.code).toBe(0);
    expect((await configMap('fromfile-mychart')).data).toEqual({ greeting: 'hello' });
    const fromUrl = await kc(['install', 'fromurl', `${repoUrl}/mychart-0.1.0.tgz`, '--set', 'greeting=url', '--timeout', '60s']);
    expect(fromUrl.stderr).not.toContain('Error');
    expect(fromUrl.code).toBe(0);
    expect((await configMap('fromurl-mychart')).data).toEqual({ greeting: 'url' });
  });

  test('an archive replaced on the server after indexing is refused, and the release is untouched', async () => {
    fs.copyFileSync(path.join(site, 'mychart-0.1.0.tgz'), path.join(site, 'mychart-0.2.0.tgz'));
    // A fresh cache, so kc must download the (now tampered) archive instead of reusing the verified one.
    const run = await kc(['upgrade', 'myrel', 'newrepo/mychart', '--reuse-values'], { cacheDir: path.join(t.dir, 'fresh-cache') });
    expect(run.code).toBe(8);
    expect(run.stderr).toContain('Error [INTEGRITY_MISMATCH]: mychart-0.2.0.tgz from');
    expect((await historyOf(ns.name, 'myrel')).length).toBe(2);
    // Every request went to the local server, and stayed within a handful.
    expect(requests.length).toBeLessThan(20);
  });
});
