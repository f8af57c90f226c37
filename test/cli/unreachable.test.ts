import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';

// A kubeconfig whose server is a closed loopback port.
const kubeconfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kc-kcfg-')), 'config');
fs.writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u, namespace: ns } }]
current-context: x
`);

describe('an unreachable API server', () => {
  test.each([
    [['install', 'my', 'charts/mysql', '--set', 'rootPassword=root']],
    [['history', 'my']],
    [['deploy', 'examples/mysql', '--env', 'dev']],
  ])('kc %j exits 5 with a clear error and writes nothing', async (args) => {
    const run = await runCli([...args, '--kubeconfig', kubeconfig]);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('Error [CLUSTER_UNREACHABLE]: cannot reach the Kubernetes API server at https://127.0.0.1:1 (context x)');
    expect(run.stderr).toContain('Hint: check --kubeconfig/--context');
  });

  test('an unknown context lists the known ones', async () => {
    const run = await runCli(['history', 'my', '--kubeconfig', kubeconfig, '--context', 'nope']);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('context "nope" is not in the kubeconfig');
    expect(run.stderr).toContain('known contexts: x');
  });
});
