import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { refKey, type KubeObject } from '../../src/kube/types.js';
import { startFakeHttp } from '../helpers/fake-http.js';
import { memorySession } from '../helpers/memory-session.js';
import { repoRoot, runCli } from '../helpers/run-cli.js';
import { PROJECT_FILE, tempProject } from '../helpers/temp-project.js';

const CRD_FILE = path.join(repoRoot, 'test/fixtures/crds/monitoring.coreos.com_servicemonitors.yaml');
const CRD_TEXT = fs.readFileSync(CRD_FILE, 'utf8');
const MODULE = 'servicemonitors.monitoring.coreos.com.ts';
const SCHEMA = 'servicemonitors.monitoring.coreos.com.schema.json';

// A chart that renders one ServiceMonitor through the generated class; `port` is spliced in as code.
const app = (port: string) => `import type { Construct } from 'constructs';
import { z } from 'zod';
import { defineApp, KcChart, type ChartMeta } from 'kc/chart';
import { ServiceMonitor } from './imports/servicemonitors.monitoring.coreos.com.js';

const schema = z.object({});
class Monitored extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'monitored', version: '1.0.0', schema };
  constructor(scope: Construct, id: string) {
    super(scope, id, Monitored.meta, {});
    new ServiceMonitor(this, 'sm', {
      metadata: { name: 'db' },
      spec: { selector: { matchLabels: { app: 'db' } }, endpoints: [{ port: ${port}, interval: '30s' }] },
    });
  }
}
export default defineApp((a) => {
  new Monitored(a, 'db');
});
`;

const project = tempProject({ 'kc.config.ts': PROJECT_FILE, 'app.ts': app("'metrics'") });
afterAll(() => project.remove());

describe('kc import crd', () => {
  test('writes the module and its schema into -o DIR; a second run writes the same bytes', async () => {
    const run = await runCli(['import', 'crd', CRD_FILE, '-o', 'imports'], { cwd: project.dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `Imported servicemonitors.monitoring.coreos.com from ${CRD_FILE}`,
        `  imports/${MODULE}  ServiceMonitor (monitoring.coreos.com/v1)`,
        `  imports/${SCHEMA}  (kc lint validates ServiceMonitor objects against it)`,
        '',
      ].join('\n'),
    );
    const read = () => [MODULE, SCHEMA].map((f) => fs.readFileSync(path.join(project.dir, 'imports', f), 'utf8'));
    const first = read();
    expect(first[0]).toContain('export class ServiceMonitor extends ApiObject {');
    expect(await runCli(['import', 'crd', CRD_FILE], { cwd: project.dir })).toMatchObject({ code: 0 });
    expect(read()).toEqual(first);
  });

  test('kc synth renders the typed ServiceMonitor; kc lint validates it against the imported schema', async () => {
    const synth = await runCli(['synth', project.dir, '--env', 'test']);
    expect(synth.stderr).toBe('');
    const sm = parse(synth.stdout.split('---\n').find((d) => d.includes('kind: ServiceMonitor'))!) as KubeObject;
    expect(sm).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      spec: { endpoints: [{ port: 'metrics', interval: '30s' }] },
    });
    const clean = await runCli(['lint', project.dir, '--no-typecheck']);
    expect(clean.stderr).toBe('');
    expect(clean.stdout).toContain('(shipped schemas + 1 imported CRD)');
    expect(clean.stdout).toContain('0 error(s)');
    // A number where the CRD says string (what untyped values passed through `as any` produce).
    project.write({ 'app.ts': app('9104 as unknown as string') });
    const wrong = await runCli(['lint', project.dir, '--no-typecheck']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      'error schema [test] ServiceMonitor/db spec.endpoints[0].port: expected string, got integer (fix: set it to a string)',
    );
    project.write({ 'app.ts': app("'metrics'") });
  }, 60_000);

  test('a file that is not a CRD fails with CRD_INVALID (exit 2) naming the file, the kind and the fix', async () => {
    const { code, stderr } = await runCli(['import', 'crd', 'examples/mysql/values/prod.yaml']);
    expect(code).toBe(2);
    expect(stderr).toContain('Error [CRD_INVALID]: examples/mysql/values/prod.yaml: holds no CustomResourceDefinition');
    expect(stderr).toContain('Hint: pass the CRD manifest (kind: CustomResourceDefinition');
    project.write({ 'web.yaml': 'apiVersion: apps/v1\nkind: Deployment\n---\napiVersion: v1\nkind: Service\n' });
    const deployment = await runCli(['import', 'crd', 'web.yaml', '-o', 'x'], { cwd: project.dir });
    expect(deployment.code).toBe(2);
    expect(deployment.stderr).toContain(
      'web.yaml: holds no CustomResourceDefinition (found Deployment (apps/v1), Service (v1))',
    );
    expect(fs.existsSync(path.join(project.dir, 'x'))).toBe(false);
  });

  test('a missing file is FILE_NOT_FOUND (exit 3); no input at all is a usage error', async () => {
    const missing = await runCli(['import', 'crd', 'no-such-crd.yaml']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('Error [FILE_NOT_FOUND]: file not found:');
    expect(missing.stderr).toContain('no-such-crd.yaml');
    const none = await runCli(['import', 'crd']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Error [USAGE]: kc import crd needs a CRD file, a URL or --from-cluster NAME');
  });

  test("an http URL is fetched with kc's http client", async () => {
    const server = await startFakeHttp((req, res) => {
      if (req.url === '/crds/sm.yaml') res.end(CRD_TEXT);
      else res.writeHead(404).end();
    });
    try {
      const out = path.join(project.dir, 'from-url');
      const ok = await runCli(['import', 'crd', `http://${server.host}/crds/sm.yaml`, '-o', out]);
      expect(ok.stderr).toBe('');
      expect(fs.readFileSync(path.join(out, MODULE), 'utf8')).toBe(
        fs.readFileSync(path.join(project.dir, 'imports', MODULE), 'utf8'),
      );
      const gone = await runCli(['import', 'crd', `http://${server.host}/crds/none.yaml`, '-o', out]);
      expect(gone.code).toBe(5);
      expect(gone.stderr).toContain('[FETCH_FAILED]');
    } finally {
      await server.close();
    }
  });

  test('--from-cluster reads the CRD from the cluster; an unknown name is NOT_FOUND', async () => {
    const { s, client } = memorySession();
    const crd = parse(CRD_TEXT) as KubeObject;
    client.objects.set(
      refKey({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: 'servicemonitors.monitoring.coreos.com',
      }),
      crd,
    );
    const ctx = { connect: async () => s };
    const out = path.join(project.dir, 'from-cluster');
    const ok = await runCli(['import', 'crd', '--from-cluster', 'servicemonitors.monitoring.coreos.com', '-o', out], {
      ctx,
    });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('Imported servicemonitors.monitoring.coreos.com from cluster test');
    expect(fs.readFileSync(path.join(out, SCHEMA), 'utf8')).toBe(
      fs.readFileSync(path.join(project.dir, 'imports', SCHEMA), 'utf8'),
    );
    const missing = await runCli(['import', 'crd', '--from-cluster', 'widgets.example.com', '-o', out], { ctx });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(
      'Error [NOT_FOUND]: CustomResourceDefinition widgets.example.com not found in context test',
    );
  });
});
