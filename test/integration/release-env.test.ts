// Release commands with --env: the environment's namespace, context and kubeconfig, as kc deploy --env uses them.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { freshNamespace, kubeconfigPath, type TestNamespace } from './helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';
import { CONFIG_CHART, tempProject, type TempProject } from '../helpers/temp-project.js';

let a: TestNamespace;
let b: TestNamespace;
let project: TempProject;
let realContext: string;

const app = (tag: string) => `import { defineApp } from 'kc/chart';
import { Maps } from './maps.js';
export default defineApp((app) => {
  new Maps(app, 'alpha', { maps: { x: { v: '${tag}' } } });
  new Maps(app, 'beta', { maps: { y: { v: '1' } } });
});
`;

/** kc run in the project folder with no cluster flags at all: everything comes from --env. */
const kc = (args: string[], cwd = project.dir) => runCli(args, { cwd });

beforeAll(async () => {
  [a, b] = await Promise.all([freshNamespace('env-a'), freshNamespace('env-b')]);
  realContext = (parse(fs.readFileSync(kubeconfigPath(), 'utf8')) as { 'current-context': string })['current-context'];
  const kubeconfig = JSON.stringify(kubeconfigPath());
  project = tempProject({
    'kc.config.ts': `import { defineConfig } from 'kc/config';
export default defineConfig({ name: 'shop', app: './app.ts', environments: {
  a: { namespace: '${a.name}', kubeconfig: ${kubeconfig} },
  b: { namespace: '${b.name}', kubeconfig: ${kubeconfig} },
  ghost: { namespace: '${a.name}', context: 'no-such-context', kubeconfig: ${kubeconfig} },
} });
`,
    'maps.ts': CONFIG_CHART,
    'app.ts': app('1'),
  });
  for (const env of ['a', 'b']) {
    const run = await kc(['deploy', '--env', env]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }
}, 120_000);
afterAll(async () => {
  await Promise.all([a?.cleanup(), b?.cleanup()]);
  project?.remove();
});

describe('release commands with --env', () => {
  test('kc status --env E lists every release of the environment, from its namespace', async () => {
    const run = await kc(['status', '--env', 'a']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`ENVIRONMENT: a (project shop)\nNAMESPACE: ${a.name}\n`);
    expect(run.stdout).toMatch(/NAME\s+REVISION\s+STATUS\s+CHART\s+UPDATED\nalpha\s+1\s+deployed\s+maps-1\.0\.0\s+\S+\nbeta\s+1\s+deployed/);
    const json = JSON.parse((await kc(['status', '--env', 'b', '-o', 'json'])).stdout) as { namespace: string; releases: { name: string; namespace: string }[] };
    expect(json.namespace).toBe(b.name);
    expect(json.releases.map((r) => `${r.namespace}/${r.name}`)).toEqual([`${b.name}/alpha`, `${b.name}/beta`]);
  });

  test('history, status and get read the environment\'s releases; -n still wins', async () => {
    const history = await kc(['history', 'alpha', '--env', 'b', '-o', 'json']);
    expect(history.code).toBe(0);
    expect((JSON.parse(history.stdout) as { namespace: string }[]).map((h) => h.namespace)).toEqual([b.name]);
    const status = await kc(['status', 'alpha', '--env', 'a']);
    expect(status.stdout).toContain(`NAMESPACE: ${a.name}`);
    expect(status.stdout).toMatch(/ConfigMap\/\S+\/alpha-x\s+yes/);
    const meta = await kc(['get', 'metadata', 'alpha', '--env', 'a', '-o', 'json']);
    expect(JSON.parse(meta.stdout)).toMatchObject({ namespace: a.name, env: 'a', project: 'shop' });
    const override = await kc(['get', 'metadata', 'alpha', '--env', 'a', '-n', b.name, '-o', 'json']);
    expect(JSON.parse(override.stdout)).toMatchObject({ namespace: b.name, env: 'b' });
  });

  test('the environment\'s context is used, and --context wins over it', async () => {
    const ghost = await kc(['history', 'alpha', '--env', 'ghost']);
    expect(ghost.code).toBe(5);
    expect(ghost.stderr).toContain('no-such-context');
    const fixed = await kc(['history', 'alpha', '--env', 'ghost', '--context', realContext, '-o', 'json']);
    expect(fixed.stderr).toBe('');
    expect((JSON.parse(fixed.stdout) as { namespace: string }[])[0].namespace).toBe(a.name);
  });

  test('rollback, test and uninstall act on the environment\'s namespace only; --project works from elsewhere', async () => {
    project.write({ 'app.ts': app('2') });
    expect((await kc(['deploy', '--env', 'a'])).code).toBe(0);
    const rollback = await kc(['rollback', 'alpha', '--env', 'a']);
    expect(rollback.stderr).toBe('');
    expect(rollback.code).toBe(0);
    const revisions = JSON.parse((await kc(['history', 'alpha', '--env', 'a', '-o', 'json'])).stdout) as { revision: number; status: string }[];
    expect(revisions.map((r) => `${r.revision} ${r.status}`)).toEqual(['1 superseded', '2 superseded', '3 deployed']);
    const values = await kc(['get', 'values', 'alpha', '--env', 'a', '--all', '-o', 'json']);
    expect(JSON.parse(values.stdout)).toEqual({ maps: { x: { v: '1' } } });

    const tested = await kc(['test', 'alpha', '--env', 'a']);
    expect(tested.code).toBe(0);
    expect(tested.stdout).toContain(`release alpha (namespace ${a.name}, revision 3)`);

    const uninstall = await kc(['uninstall', 'beta', '--env', 'a', '--project', project.dir], '/');
    expect(uninstall.stderr).toBe('');
    expect(uninstall.stdout).toContain('release "beta" uninstalled');
    const left = JSON.parse((await kc(['status', '--env', 'a', '-o', 'json'])).stdout) as { releases: { name: string }[] };
    expect(left.releases.map((r) => r.name)).toEqual(['alpha']);
    // Environment b was not touched.
    const other = JSON.parse((await kc(['status', '--env', 'b', '-o', 'json'])).stdout) as { releases: { name: string; revision: number }[] };
    expect(other.releases.map((r) => `${r.name} ${r.revision}`)).toEqual(['alpha 1', 'beta 1']);
  }, 120_000);
});
