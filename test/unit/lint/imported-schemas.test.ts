import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { readCrds } from '../../../src/import/crd.js';
import { schemaFileText } from '../../../src/import/schema-file.js';
import { importedSchemaFiles, readImportedCrds, withImportedCrds } from '../../../src/lint/imported-schemas.js';
import { SchemaChecker, bundledKubeSchemas } from '../../../src/lint/index.js';
import { repoRoot } from '../../helpers/run-cli.js';

const CRD_FILE = path.join(repoRoot, 'test/fixtures/crds/monitoring.coreos.com_servicemonitors.yaml');
const crd = readCrds(fs.readFileSync(CRD_FILE, 'utf8'), 'servicemonitors.yaml').crds[0];
const checker = new SchemaChecker(withImportedCrds(bundledKubeSchemas(), [crd]));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-imported-schemas-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function monitor(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'db' }) {
  return { release: 'r', object: { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata, spec } };
}

const findings = (spec: Record<string, unknown>, metadata?: Record<string, unknown>) =>
  checker.check(monitor(spec, metadata)).map((f) => `${f.path}: ${f.message} (${f.fix})`);

describe('custom resources against imported CRD schemas', () => {
  test('a valid ServiceMonitor has no findings', () => {
    expect(
      findings({
        selector: { matchLabels: { app: 'db' } },
        endpoints: [{ port: 'metrics', interval: '30s', scheme: 'https' }],
      }),
    ).toEqual([]);
  });

  test('wrong types, unknown fields, enums and missing required fields are errors at their path', () => {
    expect(findings({ endpoints: [{ port: 9104, intervall: '30s', scheme: 'ftp' }] })).toEqual([
      'spec.selector: required field is missing (set spec.selector)',
      'spec.endpoints[0].port: expected string, got integer (set it to a string)',
      'spec.endpoints[0].intervall: unknown field (did you mean "interval"? Otherwise remove the field)',
      'spec.endpoints[0].scheme: "ftp" is not one of "http", "https" (use one of the listed values)',
    ]);
    expect(checker.check(monitor({ selector: {}, endpoints: [{ port: 9104 }] }))[0]).toMatchObject({
      level: 'error',
      rule: 'schema',
      object: 'ServiceMonitor/db',
    });
  });

  test('metadata is checked as ObjectMeta, as the API server does', () => {
    expect(findings({ selector: {}, endpoints: [] }, { name: 'db', labels: { a: 1 } })).toEqual([
      'metadata.labels.a: expected string, got integer (set it to a string)',
    ]);
  });

  test('without the import the kind is noted, not validated, and the fix names kc import crd', () => {
    const plain = new SchemaChecker(bundledKubeSchemas()).check(monitor({ endpoints: 1 }));
    expect(plain).toEqual([
      expect.objectContaining({ level: 'info', rule: 'api-version', fix: expect.stringContaining('kc import crd') }),
    ]);
  });

  test('a version the imported CRD does not serve is an api-version error', () => {
    const other = {
      release: 'r',
      object: { apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'ServiceMonitor', metadata: { name: 'db' } },
    };
    expect(checker.check(other)).toEqual([
      expect.objectContaining({ level: 'error', rule: 'api-version', fix: 'use apiVersion monitoring.coreos.com/v1' }),
    ]);
  });
});

describe('finding the imported schemas of a project or chart', () => {
  test('follows relative imports out of the target (a project reaching its chart) and reads its own imports/', () => {
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true });
      fs.writeFileSync(path.join(tmp, file), text);
    };
    write('project/app.ts', "import { Db } from '../charts/db/index.js';\nexport default Db;\n");
    write(
      'charts/db/index.ts',
      "export { ServiceMonitor as Db } from './imports/servicemonitors.monitoring.coreos.com.js';\n",
    );
    write('charts/db/imports/servicemonitors.monitoring.coreos.com.ts', 'export class ServiceMonitor {}\n');
    write('charts/db/imports/servicemonitors.monitoring.coreos.com.schema.json', schemaFileText(crd));
    // Not reached from the project, and not in its imports/: not read.
    write('charts/other/imports/widgets.example.com.schema.json', '{');
    // In the project's imports/ but written by another tool: found, then left out.
    write('project/imports/values.schema.json', '{"type": "object"}');
    const files = importedSchemaFiles(path.join(tmp, 'project'));
    expect(files.map((f) => path.relative(tmp, f))).toEqual([
      'charts/db/imports/servicemonitors.monitoring.coreos.com.schema.json',
      'project/imports/values.schema.json',
    ]);
    expect(readImportedCrds(files, tmp).map((c) => `${c.source} ${c.kind}`)).toEqual([
      'charts/db/imports/servicemonitors.monitoring.coreos.com.schema.json ServiceMonitor',
    ]);
  });
});
