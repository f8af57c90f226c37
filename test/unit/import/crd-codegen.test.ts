import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { readCrds, type CrdDefinition } from '../../../src/import/crd.js';
import { byVersionPriority, crdModule } from '../../../src/import/crd-codegen.js';
import { parseSchemaFile, schemaFileText } from '../../../src/import/schema-file.js';
import { typecheck } from '../../../src/lint/typecheck.js';
import { repoRoot } from '../../helpers/run-cli.js';

const CRD_FILE = path.join(repoRoot, 'test/fixtures/crds/monitoring.coreos.com_servicemonitors.yaml');
const serviceMonitor = (): CrdDefinition => readCrds(fs.readFileSync(CRD_FILE, 'utf8'), 'servicemonitors.yaml').crds[0];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-crd-codegen-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A CRD with several versions, one not served; `schema` is each served version's. */
function widgetCrd(schema: Record<string, unknown>): string {
  const version = (name: string, served = true) => ({
    name,
    served,
    storage: name === 'v1',
    schema: { openAPIV3Schema: schema },
  });
  return JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { kind: 'Widget', plural: 'widgets' },
      versions: [version('v1alpha1'), version('v1'), version('v1beta1'), version('v2', false)],
    },
  });
}

describe('readCrds', () => {
  test('reads group, kind, scope and each served version of a real CRD (prometheus-operator v0.79.2)', () => {
    const crd = serviceMonitor();
    expect(crd).toMatchObject({
      name: 'servicemonitors.monitoring.coreos.com',
      group: 'monitoring.coreos.com',
      kind: 'ServiceMonitor',
      scope: 'Namespaced',
    });
    expect(crd.versions.map((v) => v.name)).toEqual(['v1']);
    expect((crd.versions[0].schema?.properties as Record<string, unknown>).spec).toBeDefined();
  });

  test('a file that is not a CRD is CRD_INVALID naming the file, the kinds found and the fix', () => {
    const deployment =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n---\napiVersion: v1\nkind: Service\n';
    expect(() => readCrds(deployment, 'web.yaml')).toThrow(
      expect.objectContaining({
        code: 'CRD_INVALID',
        message: 'web.yaml: holds no CustomResourceDefinition (found Deployment (apps/v1), Service (v1))',
        hint: expect.stringContaining('kind: CustomResourceDefinition'),
      }),
    );
    expect(() => readCrds('', 'empty.yaml')).toThrow(
      'empty.yaml: holds no CustomResourceDefinition (found no objects)',
    );
    expect(() => readCrds('kind: [', 'bad.yaml')).toThrow(
      expect.objectContaining({
        code: 'CRD_INVALID',
        message: expect.stringMatching(/^bad\.yaml: is not valid YAML or JSON: /),
      }),
    );
  });

  test('a CRD without group or kind is CRD_INVALID naming what is missing', () => {
    const crd =
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}\nspec: {names: {plural: xs}, versions: [{name: v1}]}\n';
    expect(() => readCrds(crd, 'x.yaml')).toThrow(
      'x.yaml: CustomResourceDefinition x has no spec.group, spec.names.kind',
    );
  });

  test('other objects next to CRDs (an operator bundle, a List) are skipped and named', () => {
    const bundle = `kind: List\napiVersion: v1\nitems:\n- ${widgetCrd({ type: 'object' })}\n- {apiVersion: apps/v1, kind: Deployment}\n`;
    const read = readCrds(bundle, 'bundle.yaml');
    expect(read.crds.map((c) => c.name)).toEqual(['widgets.example.com']);
    expect(read.skipped).toEqual(['Deployment']);
  });
});

describe('crdModule', () => {
  test('one ApiObject class per served version, with static GVK, manifest() and typed props; same input, same bytes', async () => {
    const module = await crdModule(serviceMonitor());
    expect(module.classes).toEqual([
      {
        className: 'ServiceMonitor',
        propsName: 'ServiceMonitorProps',
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
      },
    ]);
    expect(module.text).toContain('export class ServiceMonitor extends ApiObject {');
    expect(module.text).toContain(
      "public static readonly GVK: GroupVersionKind = {\n    apiVersion: 'monitoring.coreos.com/v1',\n    kind: 'ServiceMonitor',",
    );
    expect(module.text).toContain('public constructor(scope: Construct, id: string, props: ServiceMonitorProps) {');
    expect(module.text).toContain('public static manifest(props: ServiceMonitorProps): any {');
    // The props types are json2jsii's: required fields stay required, enums become enums.
    expect(module.text).toContain('readonly endpoints: ServiceMonitorSpecEndpoints[];');
    expect(module.text).toContain('export enum ServiceMonitorSpecEndpointsScheme {');
    expect((await crdModule(serviceMonitor())).text).toBe(module.text);
  });

  test('the version Kubernetes prefers gets the plain name; unserved versions get no class', async () => {
    const schema = {
      type: 'object',
      properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
    };
    const module = await crdModule(readCrds(widgetCrd(schema), 'w.json').crds[0]);
    expect(module.classes.map((c) => `${c.className} ${c.apiVersion}`)).toEqual([
      'Widget example.com/v1',
      'WidgetV1Beta1 example.com/v1beta1',
      'WidgetV1Alpha1 example.com/v1alpha1',
    ]);
    // Nothing is required, so props may be left out.
    expect(module.text).toContain('public constructor(scope: Construct, id: string, props: WidgetProps = {}) {');
    expect(['v1beta1', 'v2', 'v1', 'foo', 'v1alpha2', 'v10'].sort(byVersionPriority)).toEqual([
      'v10',
      'v2',
      'v1',
      'v1beta1',
      'v1alpha2',
      'foo',
    ]);
  });

  test('the generated module type-checks under strict kc project options, and catches a wrong-typed field', async () => {
    const dir = path.join(tmp, 'project');
    fs.mkdirSync(path.join(dir, 'imports'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'imports/servicemonitors.monitoring.coreos.com.ts'),
      (await crdModule(serviceMonitor())).text,
    );
    // Several versions in one module: each version's nested types are named after its own class.
    const widget = {
      type: 'object',
      properties: { spec: { type: 'object', properties: { mode: { type: 'string', enum: ['a', 'b'] } } } },
    };
    fs.writeFileSync(
      path.join(dir, 'imports/widgets.example.com.ts'),
      (await crdModule(readCrds(widgetCrd(widget), 'w').crds[0])).text,
    );
    const use = (port: string) =>
      [
        "import { App, Chart } from 'cdk8s';",
        "import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from './imports/servicemonitors.monitoring.coreos.com.js';",
        "const chart = new Chart(new App(), 'c');",
        "new ServiceMonitor(chart, 'sm', {",
        "  metadata: { name: 'db' },",
        `  spec: { selector: { matchLabels: { app: 'db' } }, endpoints: [{ port: ${port}, interval: '30s', scheme: ServiceMonitorSpecEndpointsScheme.HTTP }] },`,
        '});',
        'export const manifest = ServiceMonitor.manifest({ spec: { selector: {}, endpoints: [] } });',
        '',
      ].join('\n');
    fs.writeFileSync(path.join(dir, 'app.ts'), use("'metrics'"));
    const clean = await typecheck(dir, dir);
    expect(clean.findings).toEqual([]);
    fs.writeFileSync(path.join(dir, 'app.ts'), use('9104'));
    const wrong = await typecheck(dir, dir);
    expect(wrong.findings).toEqual([
      expect.objectContaining({
        level: 'error',
        file: expect.stringMatching(/^app\.ts:6:/),
        message: "TS2322: Type 'number' is not assignable to type 'string'.",
      }),
    ]);
  }, 60_000);
});

describe('charts/mysql/imports', () => {
  test('is what kc import crd writes for the fixture CRD today (regenerate it when the generator changes)', async () => {
    const dir = path.join(repoRoot, 'charts/mysql/imports');
    const crd = serviceMonitor();
    expect(fs.readFileSync(path.join(dir, `${crd.name}.ts`), 'utf8')).toBe((await crdModule(crd)).text);
    expect(fs.readFileSync(path.join(dir, `${crd.name}.schema.json`), 'utf8')).toBe(schemaFileText(crd));
  });
});

describe('schema file', () => {
  test('round-trips the CRD kc lint needs, deterministically; files kc did not write are not read', () => {
    const crd = serviceMonitor();
    const text = schemaFileText(crd);
    expect(text).toBe(schemaFileText(serviceMonitor()));
    expect(JSON.parse(text)).toMatchObject({
      generatedBy: 'kc import crd',
      crd: crd.name,
      group: crd.group,
      kind: 'ServiceMonitor',
    });
    expect(parseSchemaFile(text, 'sm.schema.json')).toEqual({ ...crd, source: 'sm.schema.json' });
    expect(
      parseSchemaFile('{"$schema": "http://json-schema.org/draft-07/schema#"}', 'other.schema.json'),
    ).toBeUndefined();
    expect(() => parseSchemaFile('{', 'broken.schema.json')).toThrow(expect.objectContaining({ code: 'CRD_INVALID' }));
  });
});
