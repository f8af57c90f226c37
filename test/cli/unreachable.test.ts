import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';
import { CLOSED_PORT_KUBECONFIG } from '../helpers/closed-port-kubeconfig.js';

// A kubeconfig whose server is a closed loopback port.
const kubeconfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kc-kcfg-')), 'config');
fs.writeFileSync(kubeconfig, CLOSED_PORT_KUBECONFIG);

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

describe('bad list and history flags fail before the cluster is contacted', () => {
  test.each([
    [['list', '--filter', 'web('], /--filter "web\(" is not a valid regular expression/],
    [['list', '--max', 'ten'], /--max ten is not a whole number of 0 or more/],
    [['list', '--offset', '-1'], /--offset -1 is not a whole number of 0 or more/],
    [['history', 'my', '--max', '2.5'], /--max 2\.5 is not a whole number of 0 or more/],
    [['install', 'my', 'charts/mysql', '--set', 'rootPassword=root', '--history-max', 'lots'], /--history-max lots is not a whole number of 0 or more/],
    [['upgrade', 'my', 'charts/mysql', '--description', 'x'.repeat(1025)], /--description is 1025 characters long; at most 1024 are kept/],
  ])('kc %j exits 2 naming the flag', async (args, message) => {
    const run = await runCli([...args, '--kubeconfig', kubeconfig]);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain('CLUSTER_UNREACHABLE');
    expect(run.code).toBe(2);
  });
});
