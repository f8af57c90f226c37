// Helm charts as kc releases, with the real Helm 4.3 (test/helm/helm.sh): `helm create` → kc install, upgrade with
// --set, diff, history, rollback, uninstall; the same chart from a .tgz, a Helm repository and an OCI registry.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, kubeconfigPath, makeKubeConfig, type TestNamespace } from './helpers/cluster.js';
import { historyOf } from './helpers/kc.js';
import { repoRoot, runCli } from '../helpers/run-cli.js';
import { startRegistry, toolPath, type TestRegistry } from '../helpers/oci-registry.js';

let ns: TestNamespace;
let reg: TestRegistry;
let server: http.Server;
let repoUrl: string;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-helm-chart-'));
const dirs = {
  configDir: path.join(work, 'config'),
  cacheDir: path.join(work, 'cache'),
  registryAuth: { env: { DOCKER_CONFIG: path.join(work, 'docker') }, home: work },
};
const apps = makeKubeConfig().makeApiClient(k8s.AppsV1Api);
const savedHelm = process.env.KC_HELM;
const helmBin = spawnSync('bash', [path.join(repoRoot, 'test/helm/helm.sh'), 'path'], {
  encoding: 'utf8',
}).stdout.trim();

/** kc in the test's folder, against the test cluster and namespace, with its own settings and caches. */
const kc = (args: string[]) =>
  runCli([...args, '--kubeconfig', kubeconfigPath(), '-n', ns.name], { cwd: work, ctx: dirs });

/** The real helm, its settings in the test's folder; its output, or a thrown error with its message. */
function helm(...args: string[]): string {
  const env = { ...process.env, HELM_CONFIG_HOME: path.join(work, 'helm'), HELM_CACHE_HOME: path.join(work, 'hc') };
  const res = spawnSync(helmBin, args, { cwd: work, env, encoding: 'utf8', timeout: 60_000 });
  if (res.status !== 0) throw new Error(`helm ${args.join(' ')} failed: ${res.stderr}`);
  return res.stdout;
}

const replicas = async (name: string) =>
  (await apps.readNamespacedDeployment({ name, namespace: ns.name })).spec?.replicas;
const gone = (name: string) =>
  apps.readNamespacedDeployment({ name, namespace: ns.name }).then(
    () => false,
    () => true,
  );

beforeAll(async () => {
  process.env.KC_HELM = helmBin;
  ns = await freshNamespace('helm');
  helm('create', 'hello');
  fs.mkdirSync(path.join(work, 'site'));
  helm('package', 'hello', '-d', 'site');
  helm('repo', 'index', 'site');
  server = http.createServer((req, res) => {
    const file = path.join(work, 'site', path.basename(req.url ?? ''));
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  repoUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  reg = await startRegistry();
}, 120_000);

afterAll(async () => {
  if (savedHelm === undefined) delete process.env.KC_HELM;
  else process.env.KC_HELM = savedHelm;
  await ns?.cleanup();
  await reg?.stop();
  await new Promise((resolve) => server?.close(resolve));
  fs.rmSync(work, { recursive: true, force: true });
});

describe('a Helm chart directory as a kc release', () => {
  test('install, upgrade with --set, diff, history, rollback, uninstall', async () => {
    const install = await kc(['install', 'hello', './hello']);
    expect(install.stderr).not.toContain('Error');
    expect(install.code).toBe(0);
    expect(await replicas('hello')).toBe(1);

    const diff = await kc(['diff', 'hello', './hello', '--set', 'replicaCount=2']);
    expect(diff.stdout).toContain('-  replicas: 1\n+  replicas: 2');

    const upgrade = await kc(['upgrade', 'hello', './hello', '--set', 'replicaCount=2']);
    expect(upgrade.code).toBe(0);
    expect(await replicas('hello')).toBe(2);
    const values = await kc(['get', 'values', 'hello']);
    expect(values.stdout).toBe('replicaCount: 2\n');
    expect((await historyOf(ns.name, 'hello')).map((h) => h.status)).toEqual(['superseded', 'deployed']);

    expect((await kc(['rollback', 'hello', '1'])).code).toBe(0);
    expect(await replicas('hello')).toBe(1);
    expect((await kc(['uninstall', 'hello'])).code).toBe(0);
    expect(await gone('hello')).toBe(true);
  }, 120_000);

  test("the chart's pre-install hook Job runs as a kc hook, before the chart's objects", async () => {
    fs.cpSync(path.join(work, 'hello'), path.join(work, 'hooked'), { recursive: true });
    fs.writeFileSync(
      path.join(work, 'hooked/templates/migrate.yaml'),
      `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    helm.sh/hook: pre-install
    helm.sh/hook-weight: "-1"
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: migrate, image: "migrate:1" }]
`,
    );
    const run = await kc(['install', 'hooked', './hooked']);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('hook pre-install Job/hooked-migrate: Complete');
    expect(await replicas('hooked-hello')).toBe(1);
  }, 120_000);

  test("the chart's test Pod is a kc test hook", async () => {
    const template = await runCli(['template', 'hello', './hello'], { cwd: work, ctx: dirs });
    expect(template.stdout).toMatch(/kc\.dev\/hook: test\n/);
  });
});

describe('packaged Helm charts', () => {
  test('from a .tgz made by helm package', async () => {
    const run = await kc(['install', 'fromtgz', 'site/hello-0.1.0.tgz', '--set', 'replicaCount=3']);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(await replicas('fromtgz-hello')).toBe(3);
    expect((await historyOf(ns.name, 'fromtgz'))[0].chart.version).toBe('0.1.0');
  }, 60_000);

  test('from a Helm repository (index.yaml by helm repo index) over HTTP on loopback', async () => {
    expect((await runCli(['repo', 'add', 'helmrepo', repoUrl], { cwd: work, ctx: dirs })).code).toBe(0);
    const run = await kc(['install', 'fromrepo', 'helmrepo/hello', '--version', '0.1.x']);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(await replicas('fromrepo-hello')).toBe(1);
  }, 60_000);

  test('from an OCI registry (helm push), the manifest digest recorded', async () => {
    const pushed = spawnSync(helmBin, ['push', 'site/hello-0.1.0.tgz', `oci://${reg.host}/charts`, '--plain-http'], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, HELM_CONFIG_HOME: path.join(work, 'helm') },
      timeout: 60_000,
    });
    expect(pushed.status).toBe(0);
    const digest = /sha256:[0-9a-f]{64}/.exec(pushed.stdout + pushed.stderr)?.[0];
    const run = await kc([
      'install',
      'fromoci',
      `oci://${reg.host}/charts/hello`,
      '--version',
      '0.1.0',
      '--plain-http',
    ]);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(await replicas('fromoci-hello')).toBe(1);
    const meta = await kc(['get', 'metadata', 'fromoci', '-o', 'json']);
    expect(digest).toBeDefined();
    expect(JSON.parse(meta.stdout)).toMatchObject({ chart: 'hello', chartDigest: digest });
  }, 60_000);
});

describe('a Helm chart inside a kc app', () => {
  test('HelmRelease next to a kc chart, deployed after the release it depends on, values from the environment', async () => {
    const project = path.join(work, 'app');
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, 'kc.config.ts'),
      `import { defineConfig } from 'kc/config';
export default defineConfig({
  app: './app.ts',
  environments: { dev: { context: 'current', values: { web: { replicaCount: 2 } } } },
});
`,
    );
    fs.writeFileSync(
      path.join(project, 'app.ts'),
      `import { defineApp, HelmRelease } from 'kc/chart';
import { MySqlChart } from ${JSON.stringify(path.join(repoRoot, 'charts/mysql/index.js'))};
export default defineApp((app) => {
  const db = new MySqlChart(app, 'db', { rootPassword: 'root', password: 'pw', persistence: { enabled: false } });
  new HelmRelease(app, 'web', { chart: '../hello', values: { service: { port: 8080 } } }).addDependency(db);
});
`,
    );
    const run = await kc(['deploy', 'app', '--env', 'dev']);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(await replicas('web-hello')).toBe(2);
    const [db] = await historyOf(ns.name, 'db');
    const [web] = await historyOf(ns.name, 'web');
    expect(web).toMatchObject({ status: 'deployed', chart: { version: '0.1.0' } });
    // web starts only once db is ready: its record is written after db's.
    const updated = (h: unknown) => Date.parse((h as { updated: string }).updated);
    expect(updated(web)).toBeGreaterThan(updated(db));
    const again = await kc(['deploy', 'app', '--env', 'dev']);
    expect(again.stdout).toContain('web: no changes');
  }, 180_000);
});

describe("cdk8s's Helm construct in a kc chart", () => {
  test('renders through the real helm inside the chart bundle', () => {
    const chartDir = path.join(work, 'cdk8s-helm');
    fs.mkdirSync(chartDir);
    fs.writeFileSync(
      path.join(chartDir, 'index.ts'),
      `import type { Construct } from 'constructs';
import { z } from 'zod';
import { Helm } from 'cdk8s';
import { KcChart, type ChartMeta } from 'kc/chart';
const schema = z.object({});
export default class Wrapped extends KcChart<typeof schema> {
  static readonly meta: ChartMeta<typeof schema> = { name: 'wrapped', version: '1.0.0', schema };
  constructor(scope: Construct, id: string, p: z.input<typeof schema>) {
    super(scope, id, Wrapped.meta, p);
    new Helm(this, 'hello', { chart: '../hello', helmExecutable: process.env.KC_HELM, values: { replicaCount: 4 } });
  }
}
`,
    );
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'bin/kc.cjs'), 'synth', '.'], {
      cwd: chartDir,
      encoding: 'utf8',
      env: { ...process.env, KC_HELM: helmBin },
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('  replicas: 4\n');
  }, 60_000);
});

describe('a signed oci:// Helm chart in an app (cosign)', () => {
  /** Runs the real cosign offline in the test's folder. */
  function cosign(...args: string[]): string {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, COSIGN_PASSWORD: 'pw', COSIGN_YES: 'true' };
    const res = spawnSync(toolPath('cosign'), args, { cwd: work, env, encoding: 'utf8', timeout: 120_000 });
    if (res.status !== 0) throw new Error(`cosign ${args.join(' ')} failed: ${res.stderr}`);
    return res.stdout;
  }

  test('deploy --verify --key installs it when signed by the key, refuses another key before rendering', async () => {
    for (const dir of ['keys', 'other']) {
      fs.mkdirSync(path.join(work, dir));
      spawnSync(toolPath('cosign'), ['generate-key-pair'], {
        cwd: path.join(work, dir),
        env: { ...process.env, COSIGN_PASSWORD: 'pw' },
        timeout: 60_000,
      });
    }
    helm('push', 'site/hello-0.1.0.tgz', `oci://${reg.host}/signed`, '--plain-http');
    const manifest = spawnSync(
      toolPath('oras'),
      ['manifest', 'fetch', '--plain-http', '--descriptor', `${reg.host}/signed/hello:0.1.0`],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const digest = JSON.parse(manifest.stdout).digest as string;
    const signArgs = ['sign', '--key', 'keys/cosign.key', '--tlog-upload=false', '--use-signing-config=false'];
    cosign(...signArgs, '--allow-http-registry', `${reg.host}/signed/hello@${digest}`);

    const project = path.join(work, 'signed-app');
    fs.mkdirSync(project);
    const config = (verify: string) => `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts', environments: { dev: { context: 'current'${verify} } } });
`;
    fs.writeFileSync(path.join(project, 'kc.config.ts'), config(''));
    fs.writeFileSync(
      path.join(project, 'app.ts'),
      `import { defineApp, HelmRelease } from 'kc/chart';
export default defineApp((app) => {
  new HelmRelease(app, 'signed', { chart: 'oci://${reg.host}/signed/hello', version: '0.1.0' });
});
`,
    );
    const wrong = await kc([
      'deploy',
      'signed-app',
      '--env',
      'dev',
      '--plain-http',
      '--verify',
      '--key',
      'other/cosign.pub',
    ]);
    expect(wrong.code).toBe(8);
    expect(wrong.stderr).toContain('SIGNATURE_INVALID');
    expect(await gone('signed-hello')).toBe(true);
    // An environment that requires the other key refuses even without flags.
    fs.writeFileSync(path.join(project, 'kc.config.ts'), config(", verify: { keys: ['../other/cosign.pub'] }"));
    const required = await kc(['deploy', 'signed-app', '--env', 'dev', '--plain-http']);
    expect(required.code).toBe(8);
    expect(await gone('signed-hello')).toBe(true);

    fs.writeFileSync(path.join(project, 'kc.config.ts'), config(''));
    const right = await kc([
      'deploy',
      'signed-app',
      '--env',
      'dev',
      '--plain-http',
      '--verify',
      '--key',
      'keys/cosign.pub',
    ]);
    expect(right.stderr).not.toContain('Error');
    expect(right.code).toBe(0);
    expect(await replicas('signed-hello')).toBe(1);
  }, 180_000);
});

describe('bad input', () => {
  test("a template error shows Helm's message and file; nothing is installed", async () => {
    fs.cpSync(path.join(work, 'hello'), path.join(work, 'broken'), { recursive: true });
    const file = path.join(work, 'broken/templates/service.yaml');
    fs.appendFileSync(file, '\n{{ .Values.nope.deeper }}\n');
    const run = await kc(['install', 'broken', './broken']);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('HELM_TEMPLATE_FAILED');
    expect(run.stderr).toContain('templates/service.yaml');
    expect(await gone('broken')).toBe(true);
    expect((await kc(['history', 'broken'])).code).toBe(3);
  }, 60_000);

  test('no helm binary: HELM_NOT_FOUND with the fix, exit 3', async () => {
    process.env.KC_HELM = path.join(work, 'no-such-helm');
    try {
      const run = await runCli(['template', 'hello', './hello'], { cwd: work, ctx: dirs });
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('HELM_NOT_FOUND');
      expect(run.stderr).toContain('KC_HELM');
    } finally {
      process.env.KC_HELM = helmBin;
    }
  });
});
