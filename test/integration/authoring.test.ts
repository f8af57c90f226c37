// A project made by `kc init` deploys to the real control plane as generated, its chart's tests pass there,
// and `kc lint --server` validates against the live API server's schemas.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { runCli } from '../helpers/run-cli.js';
import { freshNamespace, kubeconfigPath, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { kcIn } from './helpers/kc.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

let ns: TestNamespace;
let root: string;
let project: string;
let widgets: TempProject | undefined;
const CRD_NAME = 'widgets.authoring.kc.test';

beforeAll(async () => {
  ns = await freshNamespace('authoring');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-authoring-'));
  project = path.join(root, 'storefront');
  const init = await runCli(['init', project]);
  if (init.code !== 0) throw new Error(`kc init failed: ${init.stderr}`);
});
afterAll(async () => {
  await ns.cleanup();
  fs.rmSync(root, { recursive: true, force: true });
  widgets?.remove();
  await makeKubeConfig().makeApiClient(k8s.ApiextensionsV1Api).deleteCustomResourceDefinition({ name: CRD_NAME }).catch(() => undefined);
});

describe('a generated project on the local control plane', () => {
  test('kc deploy --env dev installs it as generated (namespace overridden with -n), and kc test passes', async () => {
    const deploy = await kcIn(ns.name, ['deploy', project, '--env', 'dev', '--timeout', '90s']);
    expect(deploy.stderr).not.toContain('Error');
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toContain(`Deployed environment dev to namespace ${ns.name}`);
    const apps = makeKubeConfig().makeApiClient(k8s.AppsV1Api);
    const d = await apps.readNamespacedDeployment({ name: 'storefront', namespace: ns.name });
    expect(d.spec?.template.spec?.containers[0].image).toBe('nginx:1.27.3');
    expect(d.status?.availableReplicas).toBe(1);
    const core = makeKubeConfig().makeApiClient(k8s.CoreV1Api);
    expect((await core.readNamespacedService({ name: 'storefront', namespace: ns.name })).spec?.ports?.[0].port).toBe(80);
    // The test Job is a hook: not installed with the release.
    const batch = makeKubeConfig().makeApiClient(k8s.BatchV1Api);
    await expect(batch.readNamespacedJob({ name: 'storefront-test-connection', namespace: ns.name })).rejects.toThrow();

    const tests = await kcIn(ns.name, ['test', 'storefront', project, '--env', 'dev', '--timeout', '60s', '-o', 'json']);
    expect(tests.stderr).not.toContain('Error');
    expect(tests.code).toBe(0);
    const report = JSON.parse(tests.stdout) as { passed: boolean; results: { name: string; type: string; ok: boolean }[] };
    expect(report.passed).toBe(true);
    expect(report.results.map((r) => `${r.type}:${r.ok}`).sort()).toEqual(['check:true', 'check:true', 'object:true']);
  }, 180_000);

  test('kc lint --server validates against the live API server', async () => {
    const clean = await runCli(['lint', project, '--server', '--kubeconfig', kubeconfigPath(), '--no-typecheck', '-o', 'json']);
    expect(clean.code).toBe(0);
    const result = JSON.parse(clean.stdout) as { schemaSource: string; kubernetesVersion: string; counts: Record<string, number> };
    expect(result).toMatchObject({ schemaSource: 'server', counts: { error: 0, warning: 0, info: 0 } });
    expect(result.kubernetesVersion).toMatch(/^v1\.\d+\./);

    const broken = await runCli(['lint', 'test/fixtures/lint-rules', '--server', '--kubeconfig', kubeconfigPath(), '--no-typecheck']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('error schema [dev, prod] Deployment/web spec.replicasss: unknown field (fix: did you mean "replicas"?');
  }, 60_000);

  test('with --server, custom resources are validated against their CRD; offline they are only noted', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: CRD_NAME },
      spec: {
        group: 'authoring.kc.test', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{
          name: 'v1', served: true, storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
        }],
      },
    };
    await makeKubeConfig().makeApiClient(k8s.ApiextensionsV1Api).createCustomResourceDefinition({ body: crd });
    widgets = tempProject({
      'kc.config.ts': "import { defineConfig } from 'kc/config';\nexport default defineConfig({ app: './app.ts' });\n",
      'app.ts': `import { ApiObject, Chart } from 'cdk8s';
import { defineApp } from 'kc/chart';
export default defineApp((app) => {
  const chart = new Chart(app, 'widgets');
  new ApiObject(chart, 'w', { apiVersion: 'authoring.kc.test/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 'big', colour: 'red' } });
});
`,
    });
    const offline = await runCli(['lint', widgets.dir, '--no-typecheck']);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toContain('info api-version Widget/w apiVersion: Kubernetes v1.36.3 has no schema for authoring.kc.test/v1 Widget');
    // The API server publishes a new CRD's schema shortly after it is created.
    const deadline = Date.now() + 30_000;
    let live = await runCli(['lint', widgets.dir, '--server', '--kubeconfig', kubeconfigPath(), '--no-typecheck']);
    while (live.code === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      live = await runCli(['lint', widgets.dir, '--server', '--kubeconfig', kubeconfigPath(), '--no-typecheck']);
    }
    expect(live.code).toBe(2);
    expect(live.stderr).toContain('error schema Widget/w spec.colour: unknown field');
    expect(live.stderr).toContain('error schema Widget/w spec.size: expected integer, got string ("big")');
  }, 60_000);
});
