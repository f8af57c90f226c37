// loadClusterConnection with exec users across several files: the regression of #17, where an exec user sent kc to
// client-node's own merge (last file's current-context, "Duplicate cluster", missing files fatal).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { loadClusterConnection } from '../../../src/kube/kubeconfig.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-kubeconfig-load-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An exec plugin (a node script) printing an ExecCredential with `token`; it records each run in `<token>.ran`. */
function plugin(token: string): string {
  const file = path.join(dir, `${token}.mjs`);
  const credential = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } };
  fs.writeFileSync(file, `import fs from 'node:fs';
fs.appendFileSync(${JSON.stringify(path.join(dir, `${token}.ran`))}, 'ran\\n');
process.stdout.write(${JSON.stringify(JSON.stringify(credential))});
`);
  return file;
}

const execUser = (token: string) => `{exec: {apiVersion: client.authentication.k8s.io/v1, command: ${JSON.stringify(
  process.execPath,
)}, args: [${JSON.stringify(plugin(token))}]}}`;

/** a.yaml: exec user, cluster "shared" on port 1001, current-context a. */
const a = path.join(dir, 'a.yaml');
fs.writeFileSync(a, `apiVersion: v1
kind: Config
clusters: [{name: shared, cluster: {server: 'https://127.0.0.1:1001', insecure-skip-tls-verify: true}}]
users: [{name: shared-user, user: ${execUser('token-a')}}]
contexts: [{name: a, context: {cluster: shared, user: shared-user, namespace: ns-a}}]
current-context: a
`);
/** b.yaml: the same cluster and user names elsewhere, its own context and current-context. */
const b = path.join(dir, 'b.yaml');
fs.writeFileSync(b, `apiVersion: v1
kind: Config
clusters:
- {name: shared, cluster: {server: 'https://127.0.0.1:1002'}}
- {name: only-b, cluster: {server: 'https://127.0.0.1:1003', insecure-skip-tls-verify: true}}
users:
- {name: shared-user, user: {token: token-b}}
- {name: b-user, user: ${execUser('token-b-exec')}}
contexts:
- {name: b, context: {cluster: only-b, user: b-user}}
- {name: b-shared, context: {cluster: shared, user: shared-user, namespace: ns-b}}
current-context: b
`);
const KUBECONFIG = [a, path.join(dir, 'missing.yaml'), b].join(path.delimiter);

describe('exec users follow kubectl\'s merge of $KUBECONFIG', () => {
  test('the first file\'s current-context, cluster and exec user win; the missing file is skipped', async () => {
    const conn = await loadClusterConnection({}, { KUBECONFIG });
    expect(conn).toMatchObject({ server: 'https://127.0.0.1:1001', context: 'a', namespace: 'ns-a' });
    expect(conn.user).toBe('shared-user');
    expect(conn.requestOptions.headers).toEqual({ Authorization: 'Bearer token-a' });
    expect(conn.requestOptions.rejectUnauthorized).toBe(false);
  });

  test('--context picks a context of the second file; names shared with the first resolve to the first', async () => {
    const conn = await loadClusterConnection({ context: 'b-shared' }, { KUBECONFIG });
    expect(conn).toMatchObject({ server: 'https://127.0.0.1:1001', context: 'b-shared', namespace: 'ns-b' });
    expect(conn.requestOptions.headers).toEqual({ Authorization: 'Bearer token-a' });
  });

  test('an exec user only the second file defines runs its own plugin', async () => {
    const conn = await loadClusterConnection({ context: 'b' }, { KUBECONFIG });
    expect(conn).toMatchObject({ server: 'https://127.0.0.1:1003', context: 'b', namespace: 'default' });
    expect(conn.user).toBe('b-user');
    expect(conn.requestOptions.headers).toEqual({ Authorization: 'Bearer token-b-exec' });
  });

  test('--kubeconfig reads that file alone', async () => {
    const conn = await loadClusterConnection({ kubeconfig: b }, { KUBECONFIG: a });
    expect(conn).toMatchObject({ server: 'https://127.0.0.1:1003', context: 'b' });
    await expect(loadClusterConnection({ kubeconfig: b, context: 'a' }, { KUBECONFIG: a })).rejects.toMatchObject({
      code: 'KUBECONFIG_INVALID',
      message: 'context "a" is not in the kubeconfig',
    });
  });

  test('a relative exec command is resolved against its kubeconfig\'s directory, as kubectl does', async () => {
    const sub = path.join(dir, 'rel');
    fs.mkdirSync(path.join(sub, 'bin'), { recursive: true });
    const script = path.join(sub, 'bin', 'login');
    fs.writeFileSync(script, `#!${process.execPath}\nprocess.stdout.write(${JSON.stringify(JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'relative' },
    }))});\n`, { mode: 0o755 });
    const file = path.join(sub, 'config');
    fs.writeFileSync(file, `clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1004'}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/login}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`);
    const conn = await loadClusterConnection({}, { KUBECONFIG: file });
    expect(conn.requestOptions.headers).toEqual({ Authorization: 'Bearer relative' });
  });
});
