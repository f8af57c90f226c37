// Damaged chart archives through the CLI: kc show, template, install, upgrade and diff from a file, kc pull from a
// URL (a loopback server, 127.0.0.1 only) and kc repo index all exit 8 with ARCHIVE_CORRUPT, never 1 (INTERNAL).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { repoRoot, runCli } from '../helpers/run-cli.js';
import { CLOSED_PORT_KUBECONFIG } from '../helpers/closed-port-kubeconfig.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-broken-'));
const kubeconfig = path.join(dir, 'config');
const damaged = new Map<string, Buffer>();
let server: http.Server;
let base = '';

beforeAll(async () => {
  const out = path.join(dir, 'packaged');
  expect((await runCli(['package', 'charts/mysql', '-d', out])).code).toBe(0);
  const good = fs.readFileSync(path.join(out, fs.readdirSync(out)[0]));
  const tar = zlib.gunzipSync(good);
  damaged.set('not-gzip', Buffer.from('<html><body>Not Found</body></html>'));
  damaged.set('gzip-not-tar', zlib.gzipSync('plain text, not a tar'));
  damaged.set('truncated-gzip', good.subarray(0, Math.floor(good.length / 2)));
  damaged.set('truncated-tar', zlib.gzipSync(tar.subarray(0, tar.length - 4096)));
  for (const [name, bytes] of damaged) fs.writeFileSync(path.join(dir, `${name}.tgz`), bytes);
  // The API server is a closed port: a broken archive must be refused before any connection is tried.
  fs.writeFileSync(kubeconfig, CLOSED_PORT_KUBECONFIG);
  server = http.createServer((req, res) => res.end(damaged.get(path.basename(req.url ?? '', '.tgz')) ?? ''));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

const kinds = ['not-gzip', 'gzip-not-tar', 'truncated-gzip', 'truncated-tar'];
const reasons: Record<string, string> = {
  'not-gzip': 'it is not gzip-compressed',
  'gzip-not-tar': 'it does not contain a tar archive',
  'truncated-gzip': 'the gzip stream is truncated',
  'truncated-tar': 'Truncated input',
};

describe.each(kinds)('a %s .tgz', (kind) => {
  const file = () => path.join(dir, `${kind}.tgz`);
  const expectCorrupt = (run: { code: number; stderr: string }, label: string) => {
    expect(run.stderr).toContain(`Error [ARCHIVE_CORRUPT]: ${label} is not a readable chart archive: `);
    expect(run.stderr).toContain(reasons[kind]);
    expect(run.code).toBe(8);
  };
  const label = () => path.relative(repoRoot, file());

  test.each([
    [['show', 'chart']], [['show', 'values']], [['template', 'my']],
  ])('kc %j FILE exits 8', async (args) => {
    expectCorrupt(await runCli([...args, file()]), label());
  });

  test.each([[['install', 'my']], [['upgrade', 'my']], [['diff', 'my']]])('kc %j FILE exits 8 before any connection',
    async (args) => {
      expectCorrupt(await runCli([...args, file(), '--set', 'rootPassword=x', '--kubeconfig', kubeconfig]), label());
    });

  test('kc pull URL exits 8 and writes nothing', async () => {
    const dest = fs.mkdtempSync(path.join(dir, 'pull-'));
    expectCorrupt(await runCli(['pull', `${base}/${kind}.tgz`, '-d', dest]), `${base}/${kind}.tgz`);
    expect(fs.readdirSync(dest)).toEqual([]);
  });

  test('kc repo index exits 8 and writes no index', async () => {
    const repo = fs.mkdtempSync(path.join(dir, 'repo-'));
    fs.copyFileSync(file(), path.join(repo, 'broken-1.0.0.tgz'));
    expectCorrupt(await runCli(['repo', 'index', repo]), path.join(repo, 'broken-1.0.0.tgz'));
    expect(fs.existsSync(path.join(repo, 'index.yaml'))).toBe(false);
  });
});
