// Bad input against a real cluster (#15 point 8): each case is a usage or file error naming the flag, exit 2 or 3,
// and the namespace is left exactly as it was: no release record, lock, key or object.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { kcIn, secretsOf } from './helpers/kc.js';

let ns: TestNamespace;
beforeAll(async () => {
  ns = await freshNamespace('badinput');
});
afterAll(async () => {
  await ns.cleanup();
});

/** Everything a kc operation could have left in the namespace. */
async function leftovers(namespace: string): Promise<string[]> {
  const kc = makeKubeConfig();
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const coord = kc.makeApiClient(k8s.CoordinationV1Api);
  return [
    ...(await secretsOf(namespace)).map((s) => `Secret/${s.metadata?.name}`),
    ...(await apps.listNamespacedDeployment({ namespace })).items.map((d) => `Deployment/${d.metadata?.name}`),
    ...(await core.listNamespacedService({ namespace })).items.map((s) => `Service/${s.metadata?.name}`),
    ...(await coord.listNamespacedLease({ namespace })).items.map((l) => `Lease/${l.metadata?.name}`),
  ];
}

describe('bad input leaves the cluster untouched', () => {
  test.each([
    [['deploy', 'examples/mysql', '--env', ''], 2, 'Error [USAGE]: --env is empty'],
    [['install', 'my-mysql', 'charts/mysql', '--set-file', 'rootPassword=/no/such/file'], 3, 'Error [FILE_NOT_FOUND]: --set-file rootPassword'],
    [['deploy', 'examples/mysql', '--env', 'dev', '--set', 'my-mysql.__proto__.x=1'], 2, 'Error [VALUES_INVALID]'],
    [['install', 'my-mysql', 'charts/mysql', '--set', 'rootPassword=r', '--timeout', '5x'], 2, 'Error [USAGE]: --timeout "5x" is not a duration'],
    [['install', 'my-mysql', 'charts/mysql', '--set', 'rootPassword=r', '--history-max', '-1'], 2, 'Error [USAGE]: --history-max -1'],
    [['deploy', 'charts/mysql', '--env', 'prod'], 2, 'Error [USAGE]: --env prod: charts/mysql is a chart, not a project'],
    [['deploy', 'examples/mysql', '--env', 'nope'], 2, 'Error [ENV_UNKNOWN]'],
    [['install', 'My_Release', 'charts/mysql', '--set', 'rootPassword=r'], 2, 'Error [RELEASE_NAME_INVALID]'],
  ])('kc %j exits %i with %s', async (args, code, message) => {
    const run = await kcIn(ns.name, args);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain('CHART_FAILED');
    expect(run.stderr).not.toContain('INTERNAL');
    expect(run.code).toBe(code);
    expect(await leftovers(ns.name)).toEqual([]);
  }, 60_000);
});
