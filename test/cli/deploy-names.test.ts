// Release names follow Helm's rule for every command that names a release, kc deploy's (the app's chart ids)
// included: a bad one is RELEASE_NAME_INVALID (exit 2) before the cluster is contacted. The kubeconfig points at a
// closed loopback port, so a command that got as far as the cluster would fail with CLUSTER_UNREACHABLE instead.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';
import { CONFIG_CHART, tempProject, type TempProject } from '../helpers/temp-project.js';
import { CLOSED_PORT_KUBECONFIG } from '../helpers/closed-port-kubeconfig.js';

const LONG = `a${'-b'.repeat(26)}c`; // 54 characters

/** A project whose app names one release `name`, and whose kc.config.ts sets values for it. */
function project(name: string): TempProject {
  return tempProject({
    'kc.config.ts': `import { defineConfig } from 'kc/config';
export default defineConfig({
  app: './app.ts',
  environments: { test: { namespace: 'names', values: { '${name}': { maps: { a: { k: 'v' } } } } } },
});
`,
    'chart.ts': CONFIG_CHART,
    'app.ts': `import { defineApp } from 'kc/chart';
import { Maps } from './chart.js';
export default defineApp((app) => {
  new Maps(app, 'fine', {});
  new Maps(app, '${name}', {});
});
`,
  });
}

let long: TempProject;
let upper: TempProject;
let kubeconfig: string;
beforeAll(() => {
  long = project(LONG);
  upper = project('My_DB');
  kubeconfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kc-kcfg-')), 'config');
  fs.writeFileSync(kubeconfig, CLOSED_PORT_KUBECONFIG);
});
afterAll(() => {
  long.remove();
  upper.remove();
  fs.rmSync(path.dirname(kubeconfig), { recursive: true, force: true });
});

const expectInvalid = (run: { code: number; stderr: string }, message: string) => {
  expect(run.stderr).not.toContain('CLUSTER_UNREACHABLE');
  expect(run.stderr).toContain(`Error [RELEASE_NAME_INVALID]: ${message}`);
  expect(run.stderr).toContain('Hint: ');
  expect(run.code).toBe(2);
};

describe('kc deploy refuses release names outside the rule that the app defines', () => {
  test('a 54-character name, on the first deploy and on one that finds the render remembered', async () => {
    const message = `invalid release name "${LONG}" (a chart id in the app of project ${path.basename(long.dir)}): ` +
      'it is 54 characters long; at most 53 are allowed';
    const deploy = () => runCli(['deploy', long.dir, '--env', 'test', '--kubeconfig', kubeconfig]);
    expectInvalid(await deploy(), message);
    expectInvalid(await deploy(), message); // the render was remembered: its names are checked before the cluster
  });

  test('an uppercase name with an underscore', async () => {
    const run = await runCli(['deploy', upper.dir, '--env', 'test', '--kubeconfig', kubeconfig]);
    expectInvalid(run, 'invalid release name "My_DB" (a chart id in the app of project');
    expect(run.stderr).toContain('not a DNS-1123 label');
    expect(run.stderr).toMatch(/Hint: .*id of its chart in the app/);
  });

  test.each([['client'], ['server']])('with --dry-run=%s', async (mode) => {
    const run = await runCli(['deploy', upper.dir, '--env', 'test', `--dry-run=${mode}`, '--kubeconfig', kubeconfig]);
    expectInvalid(run, 'invalid release name "My_DB"');
    expect(run.stdout).toBe('');
  });
});

describe('every command that names a release checks the name first', () => {
  const chart = path.join('charts', 'mysql');
  test.each([
    [['install', 'My_DB', chart, '--set', 'rootPassword=x']],
    [['upgrade', LONG, chart, '--set', 'rootPassword=x']],
    [['rollback', 'My_DB']],
    [['uninstall', 'ok', 'My_DB']],
    [['status', 'My_DB']],
    [['history', LONG]],
    [['get', 'values', 'My_DB']],
    [['test', 'My_DB']],
    [['diff', 'My_DB', chart, '--set', 'rootPassword=x']],
  ])('kc %j', async (args) => {
    expectInvalid(await runCli([...args, '--kubeconfig', kubeconfig]), 'invalid release name "');
  });

  test.each([
    [['template', 'My_DB', chart, '--set', 'rootPassword=x'], 'invalid release name "My_DB": '],
    [['synth', chart, '--release', LONG, '--set', 'rootPassword=x'], `invalid release name "${LONG}" (--release): `],
  ])('kc %j, without a cluster', async (args, message) => {
    const run = await runCli(args);
    expectInvalid(run, message);
    expect(run.stdout).toBe('');
  });
});
