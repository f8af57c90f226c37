// The contract of kc's Argo CD config-management plugin, checked on the built CLI (bin/kc.cjs) as the repo-server
// sidecar runs it: `kc gitops render` in the app's source folder, configured by Argo CD's environment variables,
// objects only on stdout, logs on stderr, and on ANY error a non-zero exit with nothing on stdout (Argo CD would take
// an empty render as "prune everything"). Argo CD gives a render 60 s; kc's is asserted well under that.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { kcSpawner } from '../helpers/spawn-kc.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject } from '../helpers/temp-project.js';

// A chart whose code fails when asked to, to check that a chart failure prints nothing on stdout.
const FAILING_CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

const schema = z.object({
  fail: z.boolean().default(false),
  empty: z.boolean().default(false),
  hook: z.boolean().default(false),
});

export default class Failing extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'failing', version: '0.1.0', schema };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Failing.meta, props);
    if (!this.values.empty) new k8s.KubeConfigMap(this, 'cm', { metadata: { name: 'first' }, data: { a: 'b' } });
    if (this.values.fail) throw new Error('the chart refuses to render');
    if (this.values.hook) {
      const annotations = { 'kc.dev/hook': 'post-install' };
      new k8s.KubeConfigMap(this, 'hook', { metadata: { name: 'after', annotations }, data: { a: 'b' } });
    }
  }
}
`;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-argocd-plugin-'));
const cacheDir = path.join(root, 'cache');
const spawner = kcSpawner({ KC_CACHE_DIR: cacheDir });
const failingSource = tempProject({
  'package.json': '{ "name": "failing", "version": "0.1.0", "main": "index.ts" }\n',
  'index.ts': FAILING_CHART,
});
const ARGO = { ARGOCD_APP_NAME: 'web', ARGOCD_APP_NAMESPACE: 'shop', KUBE_VERSION: 'v1.30.2' };
const WEBAPP = 'webapp-1.0.0.tgz';

/** A fresh app source folder holding the packaged webapp chart and `files`. */
function appFolder(name: string, files: Record<string, string> = {}, charts = [WEBAPP]): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const c of charts) fs.copyFileSync(path.join(root, 'charts', c), path.join(dir, c));
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return dir;
}

/** Runs `kc gitops render` in `dir` (as the sidecar does: the source folder is the working directory). */
const render = (dir: string, env: Record<string, string> = ARGO) =>
  spawner.kc(['gitops', 'render'], { cwd: dir, env, timeoutMs: 60_000 }).done;

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: any };
const objectsOf = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Obj);

beforeAll(async () => {
  const charts = path.join(root, 'charts');
  expect((await runCli(['package', 'charts/webapp', '-d', charts])).code).toBe(0);
  expect((await runCli(['package', failingSource.dir, '-d', charts])).code).toBe(0);
}, 120_000);

afterAll(() => {
  spawner.killAll();
  failingSource.remove();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('kc gitops render (the plugin\'s generate)', () => {
  test('renders the packaged chart with ARGOCD_APP_NAME/NAMESPACE, values.yaml then ARGOCD_ENV_KC_SET*', async () => {
    const dir = appFolder('basic', { 'values.yaml': 'replicaCount: 2\nimage:\n  tag: "1.0"\n' });
    const env = { ...ARGO, ARGOCD_ENV_KC_SET: 'replicaCount=3', ARGOCD_ENV_KC_SET_IMAGE: 'image.tag=2.5.1' };
    const run = await render(dir, env);
    expect(run.stderr).toBe(
      'kc gitops render: release web into namespace shop for Kubernetes v1.30.2 from webapp-1.0.0.tgz, values.yaml, ' +
        '2 --set; 3 objects\n',
    );
    expect(run.code).toBe(0);
    const objects = objectsOf(run.stdout);
    // Only objects: every document is a Kubernetes object, none is a kc test hook.
    const names = ['ServiceAccount/web-webapp', 'Service/web-webapp', 'Deployment/web-webapp'];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(names);
    expect(objects.every((o) => o.apiVersion && o.metadata.namespace === 'shop')).toBe(true);
    const deployment = objects[2];
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0].image).toMatch(/:2\.5\.1$/);
    // The same bytes as kc template with the same inputs.
    const values = path.join(dir, 'values.yaml');
    const sets = ['--set', 'replicaCount=3', '--set', 'image.tag=2.5.1'];
    const chart = path.join(dir, WEBAPP);
    const template = await runCli(['template', 'web', chart, '-n', 'shop', '-f', values, ...sets, '--skip-tests']);
    expect(run.stdout).toBe(template.stdout);
    expect(run.ms).toBeLessThan(20_000);
  });

  test('deterministic: the same inputs print the same bytes', async () => {
    const dir = appFolder('twice', { 'values.yaml': 'replicaCount: 2\n' });
    const [a, b] = [await render(dir), await render(dir)];
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.length).toBeGreaterThan(0);
  });

  test('kc-release.yaml names chart, values, release and namespace; ARGOCD_ENV_KC_VALUES adds files', async () => {
    const dir = appFolder(
      'named',
      {
        'kc-release.yaml': `chart: ${WEBAPP}\nvalues: [base.yaml]\nrelease: frontend\nnamespace: edge\n`,
        'base.yaml': 'replicaCount: 4\n',
        'extra.yaml': 'replicaCount: 5\n',
        'values.yaml': 'replicaCount: 9\n',
      },
      [WEBAPP, 'failing-0.1.0.tgz'],
    );
    const run = await render(dir, { ...ARGO, ARGOCD_ENV_KC_VALUES: 'extra.yaml' });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('release frontend into namespace edge');
    expect(run.stderr).toContain('from webapp-1.0.0.tgz, base.yaml, extra.yaml');
    const deployment = objectsOf(run.stdout).find((o) => o.kind === 'Deployment')!;
    expect(deployment.metadata).toMatchObject({ name: 'frontend-webapp', namespace: 'edge' });
    expect(deployment.spec.replicas).toBe(5); // extra.yaml after base.yaml; values.yaml not named, so not read
  });

  test('ARGOCD_APP_PARAMETERS: "values" files and "set" entries come last, in that order', async () => {
    const dir = appFolder('params', { 'values.yaml': 'replicaCount: 2\n', 'more.yaml': 'replicaCount: 6\n' });
    const parameters = [
      { name: 'set', map: { 'image.tag': '3.0', replicaCount: '7' } },
      { name: 'values', array: ['more.yaml'] },
    ];
    const env = { ...ARGO, ARGOCD_APP_PARAMETERS: JSON.stringify(parameters), ARGOCD_ENV_KC_SET: 'replicaCount=4' };
    const run = await render(dir, env);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('from webapp-1.0.0.tgz, values.yaml, more.yaml, 3 --set');
    const deployment = objectsOf(run.stdout).find((o) => o.kind === 'Deployment')!;
    expect(deployment.spec.replicas).toBe(7);
    expect(deployment.spec.template.spec.containers[0].image).toMatch(/:3\.0$/);
    // Without the parameter's set, the env's KC_SET (after more.yaml) wins.
    const only = await render(dir, { ...env, ARGOCD_APP_PARAMETERS: JSON.stringify([parameters[1]]) });
    expect(objectsOf(only.stdout).find((o) => o.kind === 'Deployment')!.spec.replicas).toBe(4);
  });

  test('without KUBE_VERSION or a namespace it still renders (objects without a namespace)', async () => {
    const dir = appFolder('bare');
    const run = await render(dir, { ARGOCD_APP_NAME: 'web' });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('kc gitops render: release web from webapp-1.0.0.tgz, 0 --set; 3 objects\n');
    expect(objectsOf(run.stdout).every((o) => o.metadata.namespace === undefined)).toBe(true);
  });

  // Every failure: a non-zero exit, the reason on stderr, and NOTHING on stdout.
  type Case = [string, () => [string, Record<string, string>], number, RegExp];
  const releaseFile = (name: string, text: string) => appFolder(name, { 'kc-release.yaml': text });
  const withEnv = (extra: Record<string, string>) => ({ ...ARGO, ...extra });
  const failing = ['failing-0.1.0.tgz'];
  const corrupt = (): [string, Record<string, string>] => {
    const dir = appFolder('corrupt', {}, []);
    const whole = fs.readFileSync(path.join(root, 'charts', WEBAPP));
    fs.writeFileSync(path.join(dir, WEBAPP), whole.subarray(0, 500));
    return [dir, ARGO];
  };
  const failures: Case[] = [
    ['a value the schema refuses', () => [appFolder('bad-set'), withEnv({ ARGOCD_ENV_KC_SET: 'replicaCount=-1' })], 2,
      /replicaCount/],
    ['a values file that is not YAML', () => [appFolder('bad-yaml', { 'values.yaml': 'replicaCount: [1\n' }), ARGO], 2,
      /values\.yaml/],
    ['an unknown value', () => [appFolder('unknown', { 'values.yaml': 'replicas: 2\n' }), ARGO], 2, /replicas/],
    ['no packaged chart in the folder', () => [appFolder('empty', {}, []), ARGO], 3, /no packaged chart/],
    ['a named chart that is missing', () => [releaseFile('missing', 'chart: gone-1.0.0.tgz\n'), ARGO], 3, /gone-1/],
    ['two charts, no kc-release.yaml', () => [appFolder('two', {}, [WEBAPP, ...failing]), ARGO], 2, /2 packaged/],
    ['a chart outside the folder', () => [releaseFile('escape', `chart: ../charts/${WEBAPP}\n`), ARGO], 2, /outside/],
    ['a chart directory, not a package', () => [releaseFile('dir', 'chart: src\n'), ARGO], 2, /not a packaged chart/],
    ['an unknown field in kc-release.yaml', () => [releaseFile('field', 'chrat: x.tgz\n'), ARGO], 2, /unknown field/],
    ['a missing ARGOCD_ENV_KC_VALUES file', () => [appFolder('nofile'), withEnv({ ARGOCD_ENV_KC_VALUES: 'nope.yaml' })],
      3, /nope\.yaml/],
    ['no ARGOCD_APP_NAME', () => [appFolder('noname'), { ARGOCD_APP_NAMESPACE: 'shop' }], 2, /ARGOCD_APP_NAME/],
    ['an app name that is no release name', () => [appFolder('badname'), withEnv({ ARGOCD_APP_NAME: 'Web_App' })], 2,
      /Web_App/],
    ['a malformed KUBE_VERSION', () => [appFolder('kube'), withEnv({ KUBE_VERSION: 'latest' })], 2, /KUBE_VERSION/],
    ['a corrupt package', corrupt, 8, /webapp-1\.0\.0\.tgz/],
    ['chart code that throws', () => [appFolder('throws', {}, failing), withEnv({ ARGOCD_ENV_KC_SET: 'fail=true' })], 4,
      /refuses to render/],
    ['renders nothing', () => [appFolder('nothing', {}, failing), withEnv({ ARGOCD_ENV_KC_SET: 'empty=true' })],
      2, /renders no objects/],
    ['ARGOCD_APP_PARAMETERS that is not JSON', () => [appFolder('pjson'), withEnv({ ARGOCD_APP_PARAMETERS: '[{' })], 2,
      /not JSON/],
    ['an unknown plugin parameter', () => [appFolder('pname'), withEnv({ ARGOCD_APP_PARAMETERS: '[{"name":"sets"}]' })],
      2, /"sets" is not one kc takes/],
    ['a lifecycle hook', () => [appFolder('hook', {}, failing), withEnv({ ARGOCD_ENV_KC_SET: 'hook=true' })], 2,
      /HOOKS_UNSUPPORTED.*1 kc hook/],
  ];

  test.each(failures)('%s: a non-zero exit, nothing on stdout', async (_name, setup, code, reason) => {
    const [dir, env] = setup();
    const run = await render(dir, env);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(reason);
    expect(run.ms).toBeLessThan(20_000);
  });

  test('the failing chart renders when not asked to fail (the failure above was its code)', async () => {
    const run = await render(appFolder('fine', {}, ['failing-0.1.0.tgz']));
    expect(run.code).toBe(0);
    expect(objectsOf(run.stdout).map((o) => o.kind)).toEqual(['ConfigMap']);
  });
});

describe('kc gitops argocd-plugin', () => {
  test('prints the ConfigManagementPlugin: discovered by kc-release.yaml, generate runs kc gitops render', async () => {
    const { code, stdout, stderr } = await runCli(['gitops', 'argocd-plugin']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(parseYaml(stdout)).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ConfigManagementPlugin',
      metadata: { name: 'kc' },
      spec: {
        version: 'v1',
        discover: { fileName: './kc-release.yaml' },
        generate: { command: ['kc'], args: ['gitops', 'render'] },
        parameters: {
          static: [
            { name: 'values', title: 'values files of the source folder, after the others', collectionType: 'array' },
            { name: 'set', title: '--set expressions (key: value), after ARGOCD_ENV_KC_SET*', collectionType: 'map' },
          ],
        },
      },
    });
  });

  test('--kc sets how the sidecar runs kc', async () => {
    const { code, stdout } = await runCli(['gitops', 'argocd-plugin', '--kc', 'node', '/opt/kc/bin/kc.cjs']);
    expect(code).toBe(0);
    const generate = { command: ['node'], args: ['/opt/kc/bin/kc.cjs', 'gitops', 'render'] };
    expect(parseYaml(stdout).spec.generate).toEqual(generate);
  });
});
