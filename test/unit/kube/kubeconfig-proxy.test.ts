// A kubeconfig cluster's proxy-url is read with the kubeconfig (kubectl's field) and checked there.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { loadClusterConnection } from '../../../src/kube/kubeconfig.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-proxy-kubeconfig-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function kubeconfig(name: string, proxyUrl: unknown): string {
  const file = path.join(dir, name);
  const cluster = { server: 'https://127.0.0.1:6443', 'proxy-url': proxyUrl };
  const doc = {
    apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
    clusters: [{ name: 'c', cluster }], users: [{ name: 'u', user: { token: 't' } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
  };
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe('proxy-url in the kubeconfig', () => {
  test('an http:// or https:// proxy-url is the connection\'s, credentials included', async () => {
    const conn = await loadClusterConnection({ kubeconfig: kubeconfig('http', 'http://u:p@proxy.corp:3128') }, {});
    expect(conn.proxyUrl).toBe('http://u:p@proxy.corp:3128');
    const secure = await loadClusterConnection({ kubeconfig: kubeconfig('https', 'https://proxy.corp') }, {});
    expect(secure.proxyUrl).toBe('https://proxy.corp');
    expect((await loadClusterConnection({ kubeconfig: kubeconfig('none', '') }, {})).proxyUrl).toBeUndefined();
  });

  test('socks5 is KUBECONFIG_INVALID "not supported yet" with a hint, without the credentials', async () => {
    const file = kubeconfig('socks', 'socks5://u:s3cret@127.0.0.1:1080');
    await expect(loadClusterConnection({ kubeconfig: file }, {})).rejects.toMatchObject({
      code: 'KUBECONFIG_INVALID',
      message: 'cluster "c": proxy-url: socks5 proxies are not supported yet (socks5://127.0.0.1:1080)',
      hint: 'use an http:// or https:// proxy that accepts CONNECT',
    });
  });

  test('a proxy-url that is not a string or of another scheme is KUBECONFIG_INVALID', async () => {
    await expect(loadClusterConnection({ kubeconfig: kubeconfig('num', 3128) }, {})).rejects.toMatchObject({
      code: 'KUBECONFIG_INVALID', message: 'cluster "c": proxy-url is not a string',
    });
    await expect(loadClusterConnection({ kubeconfig: kubeconfig('ftp', 'ftp://p:2121') }, {})).rejects.toMatchObject({
      code: 'KUBECONFIG_INVALID', message: 'cluster "c": proxy-url: ftp proxies are not supported (ftp://p:2121)',
    });
  });
});
