// kc init and kc create: from an empty folder to a project that type-checks, lints clean and synthesizes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { repoRoot, runCli } from '../helpers/run-cli.js';

let root: string;
let project: string;
const kc = (args: string[], cwd = project) => runCli(args, { cwd });
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string; labels: Record<string, string> } });

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-init-'));
  project = path.join(root, 'shop');
  fs.mkdirSync(project);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('kc init, kc create, kc lint, kc synth from an empty folder', () => {
  test('init writes a project with one chart; create adds another; lint and synth succeed', async () => {
    const init = await kc(['init']);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Created project shop in .:');
    const files = ['.gitignore', 'README.md', 'app.ts', 'kc.config.ts', 'package.json', 'tsconfig.json'];
    const chartFiles = ['README.md', 'index.ts', 'notes.ts', 'package.json', 'tests.ts', 'values.ts'];
    for (const f of [...files, ...chartFiles.map((c) => `charts/shop/${c}`)]) expect(fs.existsSync(path.join(project, f))).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'shop', private: true, type: 'module', scripts: { synth: 'kc synth', 'deploy:dev': 'kc deploy --env dev' }, devDependencies: { kc: `file:${repoRoot}` } });

    const create = await kc(['create', 'mychart']);
    expect(create.code).toBe(0);
    expect(create.stdout).toContain(`Created chart mychart in ${path.join('charts', 'mychart')}:`);
    expect(create.stdout).toContain("import { MyChart } from './charts/mychart/index.js';");
    for (const c of chartFiles) expect(fs.existsSync(path.join(project, 'charts/mychart', c))).toBe(true);

    const lint = await kc(['lint']);
    expect(lint.stderr).toBe('');
    expect(lint.code).toBe(0);
    expect(lint.stdout).toContain('Linted . (environments dev, prod) against Kubernetes v1.36');
    expect(lint.stdout).toContain('TypeScript');
    expect(lint.stdout).toContain('0 error(s), 0 warning(s), 0 info');

    const synth = await kc(['synth', '--env', 'dev']);
    expect(synth.code).toBe(0);
    expect(docs(synth.stdout).map((o) => `${o.kind}/${o.metadata.name}/${o.metadata.namespace}`)).toEqual([
      'ServiceAccount/shop/shop-dev', 'Service/shop/shop-dev', 'Deployment/shop/shop-dev', 'Job/shop-test-connection/shop-dev',
    ]);
    const prod = await kc(['synth', '--env', 'prod']);
    expect(prod.stdout).toContain('replicas: 3');
  }, 60_000);

  test('the generated project type-checks with tsc, and lint reports a type error at its file:line:col', async () => {
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', path.join(project, 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' })).not.toThrow();
    // A chart's props are typed: a string where the schema wants a number does not compile.
    const app = path.join(project, 'app.ts');
    const original = fs.readFileSync(app, 'utf8');
    fs.writeFileSync(app, original.replace("'shop', {}", "'shop', { replicaCount: 'two' }"));
    try {
      const lint = await kc(['lint']);
      expect(lint.code).toBe(2);
      expect(lint.stderr).toMatch(/error typescript app\.ts:6:\d+: TS2322: Type 'string' is not assignable to type 'number/);
    } finally {
      fs.writeFileSync(app, original);
    }
  }, 60_000);

  test('a created chart renders with `kc template` and from the app next to the first chart', async () => {
    const template = await kc(['template', 'api', 'charts/mychart', '--set', 'ingress.enabled=true', '--set', 'autoscaling.enabled=true']);
    expect(template.code).toBe(0);
    expect(docs(template.stdout).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/api-mychart', 'Service/api-mychart', 'Deployment/api-mychart', 'HorizontalPodAutoscaler/api-mychart', 'Job/api-mychart-test-connection', 'Ingress/api-mychart',
    ]);
    // helm create's nameOverride and fullnameOverride: names, labels, selectors and the test Job follow them.
    const renamed = docs((await kc(['template', 'api', 'charts/mychart', '--set', 'nameOverride=store'])).stdout);
    expect(renamed.map((o) => `${o.kind}/${o.metadata.name}`)).toContain('Deployment/api-store');
    expect(renamed.map((o) => o.metadata.labels['app.kubernetes.io/name'])).toEqual(renamed.map(() => 'store'));
    const full = docs((await kc(['template', 'api', 'charts/mychart', '--set', 'fullnameOverride=storefront'])).stdout);
    expect(full.map((o) => o.metadata.name)).toEqual(['storefront', 'storefront', 'storefront', 'storefront-test-connection']);
    const app = path.join(project, 'app.ts');
    fs.writeFileSync(app, fs.readFileSync(app, 'utf8').replace("import { defineApp } from 'kc/chart';", "import { defineApp } from 'kc/chart';\nimport { MyChart } from './charts/mychart/index.js';").replace("new ShopChart(app, 'shop', {});", "new ShopChart(app, 'shop', {});\n  new MyChart(app, 'mychart');"));
    const synth = await kc(['synth', '--env', 'dev', '--only', 'mychart']);
    expect(synth.code).toBe(0);
    expect(docs(synth.stdout).map((o) => o.metadata.name)).toContain('mychart');
  }, 60_000);

  test('init and create refuse to overwrite files unless --force', async () => {
    const again = await kc(['init']);
    expect(again.code).toBe(6);
    expect(again.stderr).toContain('Error [ALREADY_EXISTS]: 12 file(s) already exist in');
    expect(again.stderr).toContain('--force');
    const chart = await kc(['create', 'mychart']);
    expect(chart.code).toBe(6);
    const readme = path.join(project, 'charts/mychart/README.md');
    fs.writeFileSync(readme, 'changed');
    expect((await kc(['create', 'mychart', '--force'])).code).toBe(0);
    expect(fs.readFileSync(readme, 'utf8')).toContain('# mychart');
  });

  test('outside a project, create writes ./NAME (or into -d DIR); init creates its folder; bad names are usage errors', async () => {
    expect((await kc(['create', 'solo'], root)).code).toBe(0);
    expect(fs.existsSync(path.join(root, 'solo/index.ts'))).toBe(true);
    expect((await kc(['create', 'nested', '-d', 'lib/charts'], root)).code).toBe(0);
    expect(fs.existsSync(path.join(root, 'lib/charts/nested/values.ts'))).toBe(true);
    const named = await kc(['init', 'New Project', '--chart', 'api'], root);
    expect(named.code).toBe(0);
    expect(fs.readFileSync(path.join(root, 'New Project/kc.config.ts'), 'utf8')).toContain("namespace: 'new-project-dev'");
    expect(fs.existsSync(path.join(root, 'New Project/charts/api/index.ts'))).toBe(true);
    const bad = await kc(['create', 'My_Chart'], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Error [USAGE]: invalid chart name "My_Chart"');
  });
});
