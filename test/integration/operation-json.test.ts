// `-o json|yaml` of install, upgrade, rollback and uninstall on the real cluster: one kc.dev/v1 OperationResult
// alone on stdout (the kc process's too), the same data in both formats, no Secret value.
import { spawn } from 'node:child_process';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import type { OperationDocument } from '../../cli/operation-json.js';
import { repoRoot } from '../helpers/run-cli.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';
import { freshNamespace, kubeconfigPath, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { kcIn } from './helpers/kc.js';

const PASSWORD = 'integration-secret-pw';

const CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

export const schema = z.object({ maps: z.array(z.string()).default([]), password: z.string().default('${PASSWORD}') });
export class Maps extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = {
    name: 'maps', version: '0.1.0', schema, notes: (_v, r) => \`\${r.name} in \${r.namespace}\`,
  };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Maps.meta, props);
    new k8s.KubeSecret(this, 's', { metadata: { name: \`\${id}-s\` }, stringData: { password: this.values.password } });
    for (const m of this.values.maps) {
      new k8s.KubeConfigMap(this, m, { metadata: { name: \`\${id}-\${m}\` }, data: { m } });
    }
  }
}
export default Maps;
`;

let ns: TestNamespace;
let chart: TempProject;
beforeAll(async () => {
  ns = await freshNamespace('ojson');
  chart = tempProject({ 'maps/index.ts': CHART });
});
afterAll(async () => {
  chart.remove();
  await ns.cleanup();
});

const dir = () => `${chart.dir}/maps`;
const noSecret = (text: string) => {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
};

async function run(args: string[], format: 'json' | 'yaml'): Promise<OperationDocument> {
  const r = await kcIn(ns.name, [...args, '-o', format]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  noSecret(r.stdout);
  return (format === 'json' ? JSON.parse(r.stdout) : parse(r.stdout)) as OperationDocument;
}

const actions = (doc: OperationDocument) => doc.objects.map((o) => `${o.action} ${o.kind}/${o.name}`);

async function configMapExists(name: string): Promise<boolean> {
  const core = makeKubeConfig().makeApiClient(k8s.CoreV1Api);
  return core.readNamespacedConfigMap({ name, namespace: ns.name }).then(
    () => true,
    () => false,
  );
}

describe('-o json|yaml on the real cluster', () => {
  test('install, upgrade, rollback, uninstall: each one document with the right fields', async () => {
    const installed = await run(['install', 'm', dir(), '--set-json', 'maps=["a","b"]'], 'json');
    expect(installed).toMatchObject({
      apiVersion: 'kc.dev/v1',
      kind: 'OperationResult',
      operation: 'install',
      release: 'm',
      namespace: ns.name,
      revision: 1,
      status: 'deployed',
      changed: true,
      description: 'Install complete',
      unchanged: 0,
      hooks: [],
      notes: `m in ${ns.name}`,
    });
    expect(actions(installed)).toEqual(['applied Secret/m-s', 'applied ConfigMap/m-a', 'applied ConfigMap/m-b']);
    expect(installed.objects[1]).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'm-a',
      namespace: ns.name,
      action: 'applied',
    });

    const upgraded = await run(['upgrade', 'm', dir(), '--set-json', 'maps=["a"]'], 'yaml');
    expect(upgraded).toMatchObject({ operation: 'upgrade', revision: 2, status: 'deployed', changed: true });
    expect(actions(upgraded)).toEqual(['applied Secret/m-s', 'applied ConfigMap/m-a', 'deleted ConfigMap/m-b']);
    expect(await configMapExists('m-b')).toBe(false);

    // Nothing to do: the same data in JSON and YAML, and the same bytes each time.
    const same = ['upgrade', 'm', dir(), '--set-json', 'maps=["a"]', '-o'];
    const [j1, y, j2] = [
      await kcIn(ns.name, [...same, 'json']),
      await kcIn(ns.name, [...same, 'yaml']),
      await kcIn(ns.name, [...same, 'json']),
    ];
    expect(parse(y.stdout)).toEqual(JSON.parse(j1.stdout));
    expect(j2.stdout).toBe(j1.stdout);
    expect(JSON.parse(j1.stdout)).toMatchObject({ revision: 2, changed: false, objects: [] });

    const preview = await run(['rollback', 'm', '1', '--dry-run=server'], 'json');
    expect(preview).toMatchObject({ operation: 'rollback', dryRun: 'server', rollbackTo: 1, changed: false });
    expect(JSON.stringify(preview.manifest)).toContain('redacted');

    const rolledBack = await run(['rollback', 'm', '1'], 'json');
    expect(rolledBack).toMatchObject({
      operation: 'rollback',
      revision: 3,
      status: 'deployed',
      description: 'Rollback to 1',
    });
    expect(actions(rolledBack)).toContain('applied ConfigMap/m-b');
    expect(await configMapExists('m-b')).toBe(true);

    const uninstalled = await run(['uninstall', 'm'], 'yaml');
    expect(uninstalled).toMatchObject({
      operation: 'uninstall',
      release: 'm',
      status: 'uninstalled',
      changed: true,
      historyKept: false,
    });
    expect(actions(uninstalled).sort()).toEqual([
      'deleted ConfigMap/m-a',
      'deleted ConfigMap/m-b',
      'deleted Secret/m-s',
    ]);
    expect(await configMapExists('m-a')).toBe(false);
  }, 120_000);

  test('the kc process: stdout is the document alone (FORCE_COLOR set), empty on failure or a bad -o', async () => {
    const kc = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const argv = [path.join(repoRoot, 'bin/kc.cjs'), ...args, '--kubeconfig', kubeconfigPath(), '-n', ns.name];
        const child = spawn(process.execPath, argv, { cwd: repoRoot, env: { ...process.env, FORCE_COLOR: '1' } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
    const ok = await kc(['install', 'p', dir(), '-o', 'json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ kind: 'OperationResult', release: 'p', revision: 1 });
    expect(ok.stdout.startsWith('{')).toBe(true);

    const failed = await kc(['install', 'p', dir(), '-o', 'json']);
    expect(failed.code).not.toBe(0);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain('RELEASE_EXISTS');

    const usage = await kc(['uninstall', 'p', '-o', 'wide']);
    expect(usage.code).toBe(2);
    expect(usage.stdout).toBe('');
    expect(usage.stderr).toContain('-o wide: unknown output format');
  }, 120_000);
});
