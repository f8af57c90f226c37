import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { deterministicTgz, type ArchiveFile } from '../../src/artifact/index.js';
import type { KcContext } from '../../src/context.js';
import { typecheck } from '../../src/lint/typecheck.js';
import { HELM_CONFIG_MEDIA_TYPE, HELM_CONTENT_MEDIA_TYPE, OCI_MANIFEST } from '../../src/oci/media-types.js';
import { memoryHttp } from '../fixtures/artifacts/helpers.js';
import { memoryRegistry } from '../helpers/memory-registry.js';
import { repoRoot, runCli } from '../helpers/run-cli.js';
import { PROJECT_FILE, tempProject } from '../helpers/temp-project.js';

const FIXTURES = path.join(repoRoot, 'test/fixtures/helm-values');
const HELLO = path.join(FIXTURES, 'hello');

/** The fixture chart as `helm package` lays it out: one top folder named after the chart. */
function chartTgz(dir: string, name: string): Buffer {
  const files: ArchiveFile[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else files.push({ path: `${name}/${child}`, data: fs.readFileSync(path.join(dir, child)) });
    }
  };
  walk('');
  return deterministicTgz(files);
}

// An app deploying the chart as a HelmRelease typed by the generated interface; `values` is spliced in as code.
const app = (values: string) => `import { defineApp, HelmRelease } from 'kc/chart';
import { type HelloValues, helloValuesSchema } from './imports/hello-values.js';

export const checked = helloValuesSchema.safeParse({ port: 8080 });
export default defineApp((a) => {
  new HelmRelease<HelloValues>(a, 'web', { chart: './hello', values: ${values} });
});
`;

const project = tempProject({ 'kc.config.ts': PROJECT_FILE, 'app.ts': app('{ port: 8080 }') });
afterAll(() => project.remove());
const generated = () => fs.readFileSync(path.join(project.dir, 'imports/hello-values.ts'), 'utf8');
const typeErrors = async () =>
  (await typecheck(project.dir, project.dir)).findings.map((f) => `${f.file} ${f.message}`);

describe('kc import helm:', () => {
  test('a folder: imports/hello-values.ts, HelloValues and its zod schema; same bytes again', async () => {
    fs.cpSync(HELLO, path.join(project.dir, 'hello'), { recursive: true });
    const run = await runCli(['import', 'helm:./hello'], { cwd: project.dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'Imported the values of Helm chart hello 0.1.0 from hello',
        '  imports/hello-values.ts  HelloValues and helloValuesSchema (zod): ' +
          'new HelmRelease<HelloValues>(…) types its values',
        '',
      ].join('\n'),
    );
    const text = generated();
    expect(text).toContain('from the values.schema.json of Helm chart hello 0.1.0.');
    expect(text).toContain("import { z } from 'zod';");
    // Keys as the chart spells them (json2jsii alone would write extraLabels and httpProxy); values.yaml sets
    // replicaCount, image and greeting, so only port is required.
    expect(text).toContain(
      [
        'export interface HelloValues {',
        '  /**',
        '   * How many pods run the greeting.',
        '   *',
        '   * @schema HelloValues#replicaCount',
        '   */',
        '  readonly replicaCount?: number;',
        '',
        '  /**',
        '   * @schema HelloValues#image',
        '   */',
        '  readonly image?: HelloValuesImage;',
      ].join('\n'),
    );
    expect(text).toContain('  readonly greeting?: string;\n');
    expect(text).toContain('  readonly port: number;\n');
    expect(text).toContain('  readonly "extra-labels"?: { [key: string]: string };\n');
    expect(text).toContain('  readonly HTTP_PROXY?: string;\n');
    expect(text).toContain('  readonly repository?: string;\n');
    expect(text).toContain('export const helloValuesSchema = z.fromJSONSchema(');
    const again = await runCli(['import', 'helm:hello', '-o', 'imports'], { cwd: project.dir });
    expect(again.code).toBe(0);
    expect(generated()).toBe(text);
  });

  test('the generated module type-checks in an app; a value of the wrong type does not', async () => {
    expect(await typeErrors()).toEqual([]);
    project.write({ 'app.ts': app("{ port: '8080', image: { tag: '1.28' } }") });
    const wrongType = await typeErrors();
    expect(wrongType).toHaveLength(1);
    expect(wrongType[0]).toMatch(/^app\.ts:6:\d+ TS2322: Type 'string' is not assignable to type 'number'/);
    project.write({ 'app.ts': app("{ image: { tag: '1.28' } }") });
    expect((await typeErrors()).join('\n')).toContain("Property 'port' is missing");
    project.write({ 'app.ts': app("{ port: 80, 'extra-labels': { team: 'web' }, replicas: 2 }") });
    expect((await typeErrors()).join('\n')).toContain("'replicas' does not exist in type 'HelloValues'");
    project.write({ 'app.ts': app('{ port: 8080 }') });
  }, 60_000);

  test('the zod schema checks values at run time', () => {
    // The module's run-time part is one call, z.fromJSONSchema(<schema>) (the type check above compiled it).
    const call = /^export const helloValuesSchema = z\.fromJSONSchema\((\{[^]*?\n\})\) as z\.ZodType<HelloValues>;$/m;
    const schema = z.fromJSONSchema(JSON.parse(call.exec(generated())![1]));
    expect(schema.safeParse({ port: 80, image: { tag: '2' } }).success).toBe(true);
    expect(schema.safeParse({ port: '80' }).success).toBe(false);
    expect(schema.safeParse({ port: 80, replicaCount: -1 }).success).toBe(false);
    expect(schema.safeParse({ greeting: 'hi' }).success).toBe(false);
  });

  test('a .tgz of the chart gives the same module', async () => {
    fs.writeFileSync(path.join(project.dir, 'hello-0.1.0.tgz'), chartTgz(HELLO, 'hello'));
    const out = path.join(project.dir, 'from-tgz');
    const run = await runCli(['import', 'helm:hello-0.1.0.tgz', '-o', out], { cwd: project.dir });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Imported the values of Helm chart hello 0.1.0 from hello-0.1.0.tgz\n');
    expect(fs.readFileSync(path.join(out, 'hello-values.ts'), 'utf8')).toBe(generated());
  });

  test('REPO/CHART@VERSION of a Helm repository added with kc repo add', async () => {
    const tgz = chartTgz(HELLO, 'hello');
    const url = 'http://127.0.0.1:8879/charts';
    const index = [
      'apiVersion: v1',
      'entries:',
      '  hello:',
      '    - apiVersion: v2',
      '      name: hello',
      '      version: 0.1.0',
      `      digest: ${crypto.createHash('sha256').update(tgz).digest('hex')}`,
      '      urls: [hello-0.1.0.tgz]',
      '',
    ].join('\n');
    const http = memoryHttp(
      new Map([
        [`${url}/index.yaml`, Buffer.from(index)],
        [`${url}/hello-0.1.0.tgz`, tgz],
      ]),
    );
    const ctx = { http, configDir: path.join(project.dir, '.config'), cacheDir: path.join(project.dir, '.cache') };
    expect((await runCli(['repo', 'add', 'acme', url], { cwd: project.dir, ctx })).stderr).toBe('');
    const out = path.join(project.dir, 'from-repo');
    const run = await runCli(['import', 'helm:acme/hello@0.1.0', '-o', out], { cwd: project.dir, ctx });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Imported the values of Helm chart hello 0.1.0 from acme/hello-0.1.0\n');
    expect(fs.readFileSync(path.join(out, 'hello-values.ts'), 'utf8')).toBe(generated());
    const missing = await runCli(['import', 'helm:acme/hello@9.0.0', '-o', out], { cwd: project.dir, ctx });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('9.0.0');
  });

  test('oci://HOST/PATH/CHART:TAG and @VERSION of a Helm chart in a registry', async () => {
    const registry = memoryRegistry();
    const repo = { registry: '127.0.0.1:5000', repository: 'charts/hello' };
    const config = await registry.client.pushBlob(repo, Buffer.from('{"name":"hello"}'), HELM_CONFIG_MEDIA_TYPE);
    const layer = await registry.client.pushBlob(repo, chartTgz(HELLO, 'hello'), HELM_CONTENT_MEDIA_TYPE);
    const manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] };
    await registry.client.putManifest(repo, '0.1.0', Buffer.from(JSON.stringify(manifest)), OCI_MANIFEST);
    const ctx = { openRegistry: () => registry.client } as Partial<KcContext>;
    for (const ref of ['oci://127.0.0.1:5000/charts/hello:0.1.0', 'oci://127.0.0.1:5000/charts/hello@0.1.0']) {
      const out = path.join(project.dir, 'from-oci');
      fs.rmSync(out, { recursive: true, force: true });
      const run = await runCli(['import', `helm:${ref}`, '-o', out, '--plain-http'], { cwd: project.dir, ctx });
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('Imported the values of Helm chart hello 0.1.0 from oci://127.0.0.1:5000/charts/');
      expect(fs.readFileSync(path.join(out, 'hello-values.ts'), 'utf8')).toBe(generated());
    }
  });

  test('a chart without values.schema.json is CHART_INVALID (exit 2): its values stay untyped', async () => {
    const run = await runCli(['import', `helm:${path.join(FIXTURES, 'plain')}`, '-o', path.join(project.dir, 'x')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'Error [CHART_INVALID]: Helm chart plain 2.0.0 (test/fixtures/helm-values/plain) has no values.schema.json',
    );
    expect(run.stderr).toContain('its values stay untyped (use HelmRelease without a type argument)');
    expect(fs.existsSync(path.join(project.dir, 'x'))).toBe(false);
  });

  test('kc import without helm: is a usage error; kc import crd still is the crd subcommand', async () => {
    const bare = await runCli(['import', './hello'], { cwd: project.dir });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Error [USAGE]: kc import does not know "./hello"');
    expect(bare.stderr).toContain('kc import helm:CHART');
    const crd = await runCli(['import', 'crd', '-o', 'crds-out'], { cwd: project.dir });
    expect(crd.stderr).toContain('kc import crd needs a CRD file');
    const kcProject = await runCli(['import', `helm:${project.dir}`]);
    expect(kcProject.code).toBe(2);
    expect(kcProject.stderr).toContain('is a kc project, not a Helm chart');
  });
});
