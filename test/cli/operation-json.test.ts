// `-o json|yaml` on the commands that change a cluster: one kc.dev/v1 document alone on stdout, the same data in
// both formats, no Secret value (a dry run's manifest redacted unless --show-secrets), nothing on stdout on error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import type { ClusterSession } from '../../src/actions/cluster-session.js';
import type { DeployDocument, ListDocument, OperationDocument } from '../../cli/operation-json.js';
import type { FakeKube } from '../helpers/fake-kube.js';
import { memorySession } from '../helpers/memory-session.js';
import { runCli, type CliRun } from '../helpers/run-cli.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

const PASSWORD = 'hunter2-very-secret';

// ConfigMaps named by the values, a Secret holding a password, and notes naming the release.
const CHART = `import type { Construct } from 'constructs';
import { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';

export const schema = z.object({
  maps: z.record(z.string(), z.string()).default({}),
  password: z.string().default('${PASSWORD}'),
});

export class Maps extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = {
    name: 'maps', version: '1.2.3', schema,
    notes: (_values, release) => \`Release \${release.name} is ready.\`,
  };
  constructor(scope: Construct, id: string, props: z.input<typeof schema>) {
    super(scope, id, Maps.meta, props);
    const metadata = { name: \`\${id}-secret\` };
    new k8s.KubeSecret(this, 'secret', { metadata, stringData: { password: this.values.password } });
    for (const [name, v] of Object.entries(this.values.maps)) {
      new k8s.KubeConfigMap(this, name, { metadata: { name: \`\${id}-\${name}\` }, data: { v } });
    }
  }
}
export default Maps;
`;

let chart: TempProject;
let session: ClusterSession;
let client: FakeKube;
let cacheDir: string;

beforeEach(async () => {
  chart = tempProject({ 'index.ts': CHART });
  ({ s: session, client } = memorySession());
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }, { fieldManager: 'test' });
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-ojson-cache-'));
});
afterEach(() => {
  chart.remove();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

const kc = (args: string[]) => runCli(args, { ctx: { connect: async () => session, cacheDir } });
const maps = (...names: string[]) => names.flatMap((n) => ['--set', `maps.${n}=${n}-value`]);

/** Runs with -o json: exit 0, nothing on stderr, no secret on stdout; the JSON parsed. */
async function json<T = OperationDocument>(args: string[]): Promise<{ doc: T; run: CliRun }> {
  const run = await kc([...args, '-o', 'json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  noSecret(run.stdout);
  return { doc: JSON.parse(run.stdout) as T, run };
}

function noSecret(text: string): void {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
}

const objects = (doc: OperationDocument) => doc.objects.map((o) => `${o.action} ${o.kind}/${o.name}`);

describe('install, upgrade, rollback and uninstall -o json|yaml', () => {
  test('each prints one document with the operation, revision, status, objects and notes', async () => {
    const { doc: installed } = await json(['install', 'r', chart.dir, ...maps('a', 'b'), '--no-wait']);
    expect(installed).toEqual({
      apiVersion: 'kc.dev/v1',
      kind: 'OperationResult',
      operation: 'install',
      release: 'r',
      namespace: 'ns',
      revision: 1,
      status: 'deployed',
      changed: true,
      description: 'Install complete',
      chart: { name: 'maps', version: '1.2.3' },
      objects: [
        { apiVersion: 'v1', kind: 'Secret', name: 'r-secret', namespace: 'ns', action: 'applied' },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'r-a', namespace: 'ns', action: 'applied' },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'r-b', namespace: 'ns', action: 'applied' },
      ],
      unchanged: 0,
      hooks: [],
      notes: 'Release r is ready.',
    });

    // An upgrade without b: b is pruned (deleted); (unchanged: how many were not sent).
    const { doc: upgraded } = await json(['upgrade', 'r', chart.dir, ...maps('a'), '--no-wait']);
    expect(upgraded).toMatchObject({
      operation: 'upgrade',
      revision: 2,
      status: 'deployed',
      changed: true,
      description: 'Upgrade complete',
      chart: { name: 'maps', version: '1.2.3' },
    });
    expect(objects(upgraded)).toEqual(['applied Secret/r-secret', 'applied ConfigMap/r-a', 'deleted ConfigMap/r-b']);
    expect(typeof upgraded.unchanged).toBe('number');
    expect(client.objects.has('/ConfigMap/ns/r-b')).toBe(false);

    const { doc: rolledBack } = await json(['rollback', 'r', '1', '--no-wait']);
    expect(rolledBack).toMatchObject({
      operation: 'rollback',
      revision: 3,
      status: 'deployed',
      changed: true,
      description: 'Rollback to 1',
    });
    expect(objects(rolledBack)).toEqual(['applied Secret/r-secret', 'applied ConfigMap/r-a', 'applied ConfigMap/r-b']);

    const { doc: uninstalled } = await json(['uninstall', 'r']);
    expect(uninstalled).toMatchObject({
      kind: 'OperationResult',
      operation: 'uninstall',
      release: 'r',
      namespace: 'ns',
    });
    expect(uninstalled).toMatchObject({ status: 'uninstalled', changed: true, historyKept: false });
    expect(uninstalled.objects.every((o) => o.action === 'deleted')).toBe(true);
    expect(uninstalled.objects.map((o) => o.name).sort()).toEqual(['r-a', 'r-b', 'r-secret']);
    expect(client.objects.has('/ConfigMap/ns/r-a')).toBe(false);
  });

  test('-o yaml is the data of -o json; no changes is changed: false; the output is deterministic', async () => {
    await kc(['install', 'r', chart.dir, ...maps('a'), '--no-wait']);
    const asJson = await kc(['upgrade', 'r', chart.dir, ...maps('a'), '--no-wait', '-o', 'json']);
    const asYaml = await kc(['upgrade', 'r', chart.dir, ...maps('a'), '--no-wait', '-o', 'yaml']);
    const again = await kc(['upgrade', 'r', chart.dir, ...maps('a'), '--no-wait', '-o', 'json']);
    expect([asJson.code, asYaml.code, again.code]).toEqual([0, 0, 0]);
    expect(asYaml.stdout).not.toMatch(/^\s*[{[]/); // YAML, not JSON (which is YAML too)
    const doc = JSON.parse(asJson.stdout) as OperationDocument;
    expect(parse(asYaml.stdout)).toEqual(doc);
    expect(again.stdout).toBe(asJson.stdout);
    expect(doc).toMatchObject({ operation: 'upgrade', revision: 1, status: 'deployed', changed: false, objects: [] });

    const installYaml = await kc(['install', 'q', chart.dir, '--no-wait', '-o', 'yaml']);
    expect(installYaml.code).toBe(0);
    expect(parse(installYaml.stdout)).toMatchObject({
      apiVersion: 'kc.dev/v1',
      kind: 'OperationResult',
      operation: 'install',
      revision: 1,
    });
  });

  test('uninstall of several releases prints a List; --ignore-not-found says notFound', async () => {
    await kc(['install', 'r', chart.dir, '--no-wait']);
    await kc(['install', 'q', chart.dir, '--no-wait']);
    const run = await kc(['uninstall', 'r', 'q', 'gone', '--ignore-not-found', '--keep-history', '-o', 'yaml']);
    expect(run.code).toBe(0);
    const list = parse(run.stdout) as ListDocument;
    expect(list.apiVersion).toBe('kc.dev/v1');
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => [i.release, i.status, i.changed, i.historyKept, i.notFound])).toEqual([
      ['r', 'uninstalled', true, true, undefined],
      ['q', 'uninstalled', true, true, undefined],
      ['gone', undefined, false, undefined, true],
    ]);
  });

  test('--dry-run -o json carries the manifest, Secret values redacted unless --show-secrets', async () => {
    const { doc: dry } = await json(['install', 'r', chart.dir, ...maps('a'), '--dry-run']);
    expect(dry).toMatchObject({
      operation: 'install',
      release: 'r',
      namespace: 'ns',
      dryRun: 'client',
      changed: false,
    });
    expect(dry.chart).toEqual({ name: 'maps', version: '1.2.3' });
    expect(dry.revision).toBeUndefined();
    expect(objects(dry)).toEqual(['applied Secret/r-secret', 'applied ConfigMap/r-a']);
    const secret = dry.manifest?.find((o) => o.kind === 'Secret');
    expect(JSON.stringify(secret)).toMatch(/"password":"\(redacted: hmac [0-9a-f]{8}, \d+ bytes\)"/);
    expect((await kc(['history', 'r'])).code).not.toBe(0); // the dry run recorded nothing

    const shown = await kc(['install', 'r', chart.dir, '--dry-run', '--show-secrets', '-o', 'json']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(PASSWORD);

    await kc(['install', 'r', chart.dir, ...maps('a'), '--no-wait']);
    await kc(['upgrade', 'r', chart.dir, ...maps('b'), '--no-wait']);
    const { doc: preview } = await json(['rollback', 'r', '1', '--dry-run']);
    expect(preview).toMatchObject({ operation: 'rollback', dryRun: 'client', rollbackTo: 1, changed: false });
    expect(objects(preview)).toEqual(['applied Secret/r-secret', 'applied ConfigMap/r-a', 'deleted ConfigMap/r-b']);
    expect(preview.manifest?.map((o) => o.kind)).toEqual(['Secret', 'ConfigMap']);
    expect(client.objects.has('/ConfigMap/ns/r-b')).toBe(true); // nothing changed
    const previewShown = await kc(['rollback', 'r', '1', '--dry-run', '--show-secrets', '-o', 'yaml']);
    expect(previewShown.stdout).toContain(PASSWORD);

    const { doc: dryUninstall } = await json(['uninstall', 'r', '--dry-run']);
    expect(dryUninstall).toMatchObject({ operation: 'uninstall', dryRun: 'client', changed: false });
    expect(dryUninstall.manifest).toBeUndefined();
  });
});

describe('-o errors', () => {
  test.each([
    [['install', 'r', 'CHART']],
    [['upgrade', 'r', 'CHART']],
    [['rollback', 'r']],
    [['uninstall', 'r']],
    [['deploy', 'PROJECT', '--env', 'test']],
  ])('%j -o xml is USAGE (2) before anything is done', async (args) => {
    await kc(['install', 'r', chart.dir, '--no-wait']);
    const run = await kc([...args.map((a) => (a === 'CHART' || a === 'PROJECT' ? chart.dir : a)), '-o', 'xml']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Error [USAGE]: -o xml: unknown output format');
    expect((await json(['upgrade', 'r', chart.dir, '--no-wait'])).doc.revision).toBe(1); // nothing was done
  });

  test('a failed operation prints nothing on stdout, the error on stderr with its exit code', async () => {
    await kc(['install', 'r', chart.dir, '--no-wait']);
    const run = await kc(['install', 'r', chart.dir, '--no-wait', '-o', 'json']);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Error [RELEASE_EXISTS]');

    const missing = await kc(['uninstall', 'r', 'nope', '-o', 'json']);
    expect(missing.code).not.toBe(0);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('release "r" uninstalled before the failure below');
    expect(missing.stderr).toContain('Error [RELEASE_NOT_FOUND]');
  });
});

describe('deploy -o json|yaml', () => {
  let project: TempProject;
  const app = (ids: string[]) => `import { defineApp } from 'kc/chart';
import { Maps } from './chart.js';
export default defineApp((app) => {
${ids.map((id) => `  new Maps(app, '${id}', {});`).join('\n')}
});
`;
  beforeEach(() => {
    project = tempProject({
      'kc.config.ts': `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts', environments: { test: { namespace: 'ns' } } });
`,
      'chart.ts': CHART,
      'app.ts': app(['one', 'two']),
    });
  });
  afterEach(() => project.remove());

  test('a DeployResult with each release, then those pruned from the app as uninstall', async () => {
    const { doc } = await json<DeployDocument>(['deploy', project.dir, '--env', 'test', '--no-wait']);
    expect(doc).toMatchObject({
      apiVersion: 'kc.dev/v1',
      kind: 'DeployResult',
      env: 'test',
      namespace: 'ns',
      context: 'test',
    });
    expect(doc.releases.map((r) => [r.kind, r.operation, r.release, r.revision, r.status, r.changed])).toEqual([
      ['OperationResult', 'deploy', 'one', 1, 'deployed', true],
      ['OperationResult', 'deploy', 'two', 1, 'deployed', true],
    ]);
    expect(doc.releases[0].notes).toBe('Release one is ready.');

    project.write({ 'app.ts': app(['one']) });
    const run = await kc(['deploy', project.dir, '--env', 'test', '--no-wait', '-o', 'yaml']);
    expect(run.code).toBe(0);
    noSecret(run.stdout);
    const after = parse(run.stdout) as DeployDocument;
    expect(after.releases.map((r) => [r.operation, r.release, r.changed])).toEqual([
      ['deploy', 'one', false],
      ['uninstall', 'two', true],
    ]);
  });

  test('--dry-run: each release with its chart and redacted manifest; no context (no cluster contacted)', async () => {
    const { doc } = await json<DeployDocument>(['deploy', project.dir, '--env', 'test', '--dry-run']);
    expect(doc).toMatchObject({ kind: 'DeployResult', dryRun: 'client' });
    expect(doc.context).toBeUndefined();
    expect(doc.releases.map((r) => [r.release, r.dryRun, r.chart?.version, r.manifest?.length])).toEqual([
      ['one', 'client', '1.2.3', 1],
      ['two', 'client', '1.2.3', 1],
    ]);
  });
});
