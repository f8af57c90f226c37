// kc version against the local control plane: the server half is its real gitVersion.
import { describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { kubeconfigPath, makeKubeConfig } from './helpers/cluster';
import { runCli } from '../helpers/run-cli.js';

describe('kc version with a reachable cluster', () => {
  test('prints the API server gitVersion, as text and as JSON', async () => {
    const expected = (await makeKubeConfig().makeApiClient(k8s.VersionApi).getCode()).gitVersion;
    const text = await runCli(['version', '--kubeconfig', kubeconfigPath()]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`\nServer: ${expected}\n`);
    const json = await runCli(['version', '-o', 'json', '--kubeconfig', kubeconfigPath()]);
    expect(JSON.parse(json.stdout).server).toEqual({ gitVersion: expected });
    expect(JSON.parse(json.stdout)).not.toHaveProperty('serverError');
  });
});
