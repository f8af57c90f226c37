// Generates the projects the benchmark synthesizes, in a scratch folder outside the repo
// (the repo's tsconfig includes bench/, so generated .ts must not land under it).
import fs from 'node:fs';
import path from 'node:path';

const write = (file, text) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

/** Copies a folder (plain files only). */
function copyDir(from, to, transform = (_file, text) => text) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyDir(src, dst, transform);
    else write(dst, transform(entry.name, fs.readFileSync(src, 'utf8')));
  }
}

/**
 * A kc project whose app is the seed MySQL chart, copied unmodified from charts/mysql.
 * kc resolves `kc/chart` and the chart's packages (cdk8s-plus-27, zod) from its own install.
 */
export function kcMysqlProject(root, dir) {
  copyDir(path.join(root, 'charts/mysql'), path.join(dir, 'charts/mysql'));
  write(
    path.join(dir, 'kc.config.ts'),
    `import { defineConfig } from 'kc/config';\n\nexport default defineConfig({ app: './app.ts' });\n`,
  );
  write(
    path.join(dir, 'app.ts'),
    [
      `import { defineApp } from 'kc/chart';`,
      `import { MySqlChart } from './charts/mysql/index.js';`,
      ``,
      `export default defineApp((app) => {`,
      `  new MySqlChart(app, 'my-mysql', { rootPassword: 'root', password: 'mysql' });`,
      `});`,
      ``,
    ].join('\n'),
  );
  return dir;
}

/**
 * The same app as a cdk8s project, laid out the way `cdk8s init typescript-app` (cdk8s-cli 2.207) lays it out:
 * the template's cdk8s.yaml (`app: npx ts-node main.ts`) and tsconfig.json, and a main.ts that does
 * `new App(); new MySqlChart(...); app.synth()`. ts-node type-checks every file it loads, as it does by default.
 *
 * What had to change so that ts-node can run the chart's sources at all (each change is the smallest that works):
 *  - tsconfig: `esModuleInterop: true` — the chart default-imports its package.json.
 *  - tsconfig: `"ts-node": { "experimentalResolver": true }` — the sources import `./values.js` for `values.ts`
 *    (ESM style); ts-node's resolver maps the suffix at run time. Type-checking stays on.
 *  - the chart copy drops ` with { type: 'json' }` from its package.json import: with the template's
 *    `module: CommonJS`, TypeScript rejects import attributes (TS2823 / TS2856 under NodeNext).
 *  - kc's chart SDK (src/chart, unmodified) is copied next to the project as package `kc`
 *    (node_modules/kc → kc-sdk, whose chart.ts re-exports src/chart/index.ts): the repo's package.json
 *    says "type": "module", which makes ts-node refuse to load those files as CommonJS in place.
 *  - node_modules holds symlinks to each package of the repo's node_modules (nothing is downloaded).
 *  - the CLI runs with --no-check-upgrade (its default upgrade check queries registry.npmjs.org).
 */
export function cdk8sMysqlProject(root, dir) {
  const template = path.join(root, 'node_modules/cdk8s-cli/templates/typescript-app');
  const nm = path.join(dir, 'node_modules');
  fs.mkdirSync(nm, { recursive: true });
  for (const name of fs.readdirSync(path.join(root, 'node_modules'))) {
    if (name === '.package-lock.json') continue;
    fs.symlinkSync(path.join(root, 'node_modules', name), path.join(nm, name));
  }
  copyDir(path.join(root, 'src/chart'), path.join(dir, 'kc-sdk/src/chart'));
  write(path.join(dir, 'kc-sdk/package.json'), JSON.stringify({ name: 'kc', version: '0.0.0', private: true }, null, 2) + '\n');
  write(path.join(dir, 'kc-sdk/chart.ts'), `export * from './src/chart/index.js';\n`);
  fs.symlinkSync(path.join(dir, 'kc-sdk'), path.join(nm, 'kc'));
  copyDir(path.join(root, 'charts/mysql'), path.join(dir, 'charts/mysql'), (_file, text) =>
    text.replace(/ with \{ type: 'json' \}/g, ''),
  );

  const cdk8sYaml = fs.readFileSync(path.join(template, 'cdk8s.yaml'), 'utf8');
  const appLine = /^app:\s*(.+)$/m.exec(cdk8sYaml)?.[1]?.trim();
  write(path.join(dir, 'cdk8s.yaml'), cdk8sYaml);

  const tsconfig = JSON.parse(fs.readFileSync(path.join(template, 'tsconfig.json'), 'utf8'));
  tsconfig.compilerOptions.esModuleInterop = true;
  tsconfig['ts-node'] = { experimentalResolver: true };
  write(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2) + '\n');

  write(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'bench-cdk8s', version: '1.0.0', main: 'main.js', types: 'main.ts', license: 'Apache-2.0', private: true }, null, 2) + '\n',
  );
  write(
    path.join(dir, 'main.ts'),
    [
      `import { App } from 'cdk8s';`,
      `import { MySqlChart } from './charts/mysql/index.js';`,
      ``,
      `const app = new App();`,
      `new MySqlChart(app, 'my-mysql', { rootPassword: 'root', password: 'mysql' });`,
      `app.synth();`,
      ``,
    ].join('\n'),
  );
  return { dir, appLine };
}

/** Number of releases of each chart in the large app; each release renders 10 objects. */
export const FLEET = { web: 60, worker: 40, objectsPerRelease: 10 };

const FLEET_CHARTS = `// Generated by bench/lib/fixtures.mjs: two realistic charts of 10 objects each.
import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { z } from 'zod';
import { KcChart, secret, type ChartMeta, type ReleaseInfo } from 'kc/chart';

const quantity = z.string().regex(/^\\d+(\\.\\d+)?(m|Ki|Mi|Gi)?$/, 'must be a Kubernetes quantity');
const resources = z
  .object({ cpu: quantity.default('100m'), memory: quantity.default('128Mi') })
  .prefault({});
const image = z.object({
  repository: z.string(),
  tag: z.string().default('latest'),
  pullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
});

export const webValues = z.object({
  image,
  replicas: z.number().int().min(1).default(2),
  port: z.number().int().min(1).max(65535).default(8080),
  host: z.string().describe('Public host name of the ingress.'),
  env: z.record(z.string(), z.string()).default({}),
  apiKey: secret(z.string().min(1), 'Key for the upstream API.'),
  autoscaling: z
    .object({ min: z.number().int().min(1).default(2), max: z.number().int().min(1).default(10), cpu: z.number().int().default(80) })
    .prefault({}),
  resources: z.object({ requests: resources, limits: resources }).prefault({}),
});
export type WebValues = z.input<typeof webValues>;

export const workerValues = z.object({
  image,
  replicas: z.number().int().min(0).default(1),
  queue: z.string(),
  concurrency: z.number().int().min(1).default(4),
  schedule: z.string().default('*/15 * * * *'),
  databaseUrl: secret(z.string().min(1), 'Connection string of the job database.'),
  quota: z.object({ pods: z.number().int().default(20), cpu: quantity.default('4'), memory: quantity.default('8Gi') }).prefault({}),
  resources: z.object({ requests: resources, limits: resources }).prefault({}),
});
export type WorkerValues = z.input<typeof workerValues>;

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const q = (list: { cpu: string; memory: string }) => ({
  cpu: k8s.Quantity.fromString(list.cpu),
  memory: k8s.Quantity.fromString(list.memory),
});

/** ServiceAccount, Role and RoleBinding shared by both charts. */
function rbac(chart: KcChart, name: string, metadata: { name: string; labels: Record<string, string> }, resources: string[]) {
  new k8s.KubeServiceAccount(chart, 'sa', { metadata });
  new k8s.KubeRole(chart, 'role', {
    metadata,
    rules: [{ apiGroups: [''], resources, verbs: ['get', 'list', 'watch'] }],
  });
  new k8s.KubeRoleBinding(chart, 'rolebinding', {
    metadata,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name }],
  });
}

export class WebChart extends KcChart<typeof webValues> {
  static readonly meta: ChartMeta<typeof webValues> = {
    name: 'web',
    version: '2.3.1',
    appVersion: '1.0.0',
    description: 'A stateless HTTP service behind an ingress.',
    schema: webValues,
    notes: (v, r: ReleaseInfo) => \`\${r.name} serves https://\${v.host}/ (port \${v.port}).\`,
  };

  constructor(scope: Construct, id: string, props: WebValues) {
    super(scope, id, WebChart.meta, props);
    const v = this.values;
    const name = this.fullname;
    const labels = { app: name };
    const metadata = { name, labels };
    const selector = { app: name, ...this.selectorLabels };

    rbac(this, name, metadata, ['configmaps', 'secrets']);
    new k8s.KubeConfigMap(this, 'config', { metadata, data: { PORT: String(v.port), ...v.env } });
    new k8s.KubeSecret(this, 'secret', { metadata, type: 'Opaque', data: { 'api-key': b64(v.apiKey) } });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata,
      spec: {
        replicas: v.replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            serviceAccountName: name,
            containers: [
              {
                name: 'web',
                image: \`\${v.image.repository}:\${v.image.tag}\`,
                imagePullPolicy: v.image.pullPolicy,
                ports: [{ name: 'http', containerPort: v.port }],
                envFrom: [{ configMapRef: { name } }],
                env: [{ name: 'API_KEY', valueFrom: { secretKeyRef: { name, key: 'api-key' } } }],
                readinessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('http') } },
                resources: { requests: q(v.resources.requests), limits: q(v.resources.limits) },
              },
            ],
          },
        },
      },
    });
    new k8s.KubeService(this, 'service', {
      metadata,
      spec: { selector, ports: [{ name: 'http', port: 80, targetPort: k8s.IntOrString.fromString('http') }] },
    });
    new k8s.KubeIngress(this, 'ingress', {
      metadata,
      spec: {
        rules: [
          {
            host: v.host,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { name: 'http' } } } }] },
          },
        ],
      },
    });
    new k8s.KubeHorizontalPodAutoscalerV2(this, 'hpa', {
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: v.autoscaling.min,
        maxReplicas: v.autoscaling.max,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: v.autoscaling.cpu } } }],
      },
    });
    new k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata,
      spec: { minAvailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
  }
}

export class WorkerChart extends KcChart<typeof workerValues> {
  static readonly meta: ChartMeta<typeof workerValues> = {
    name: 'worker',
    version: '1.4.0',
    appVersion: '3.2.0',
    description: 'A queue worker with a periodic cleanup job.',
    schema: workerValues,
  };

  constructor(scope: Construct, id: string, props: WorkerValues) {
    super(scope, id, WorkerChart.meta, props);
    const v = this.values;
    const name = this.fullname;
    const labels = { app: name };
    const metadata = { name, labels };
    const selector = { app: name, ...this.selectorLabels };
    const container = (command: string[]): k8s.Container => ({
      name: 'worker',
      image: \`\${v.image.repository}:\${v.image.tag}\`,
      imagePullPolicy: v.image.pullPolicy,
      command,
      envFrom: [{ configMapRef: { name } }],
      env: [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name, key: 'database-url' } } }],
      resources: { requests: q(v.resources.requests), limits: q(v.resources.limits) },
    });

    rbac(this, name, metadata, ['configmaps']);
    new k8s.KubeConfigMap(this, 'config', { metadata, data: { QUEUE: v.queue, CONCURRENCY: String(v.concurrency) } });
    new k8s.KubeSecret(this, 'secret', { metadata, type: 'Opaque', data: { 'database-url': b64(v.databaseUrl) } });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata,
      spec: {
        replicas: v.replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: { serviceAccountName: name, containers: [container(['worker', '--queue', v.queue])] },
        },
      },
    });
    new k8s.KubeService(this, 'metrics', {
      metadata: { name: \`\${name}-metrics\`, labels },
      spec: { selector, ports: [{ name: 'metrics', port: 9090, targetPort: k8s.IntOrString.fromNumber(9090) }] },
    });
    new k8s.KubeCronJob(this, 'cleanup', {
      metadata: { name: \`\${name}-cleanup\`, labels },
      spec: {
        schedule: v.schedule,
        jobTemplate: {
          spec: {
            template: { spec: { restartPolicy: 'OnFailure', serviceAccountName: name, containers: [container(['worker', 'cleanup'])] } },
          },
        },
      },
    });
    new k8s.KubeNetworkPolicy(this, 'netpol', {
      metadata,
      spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress'], ingress: [] },
    });
    new k8s.KubeResourceQuota(this, 'quota', {
      metadata,
      spec: {
        hard: {
          pods: k8s.Quantity.fromNumber(v.quota.pods),
          'requests.cpu': k8s.Quantity.fromString(v.quota.cpu),
          'requests.memory': k8s.Quantity.fromString(v.quota.memory),
        },
      },
    });
  }
}
`;

/**
 * A kc project with FLEET.web + FLEET.worker releases of two generated charts (10 objects each: 1000 in all),
 * written out one release per line as a generated app would be, each worker depending on a web release,
 * synthesized with an environment that sets a namespace and overrides a few releases' values. `counts` changes how
 * many releases of each (the scale section's 10,000-object and 50-release apps), and `counts.quota` every worker's
 * ResourceQuota (deployed into one namespace, each quota counts every release's pods).
 */
export function kcFleetProject(dir, counts = FLEET) {
  write(path.join(dir, 'charts/fleet.ts'), FLEET_CHARTS);
  const pad = (i) => String(i).padStart(3, '0');
  const lines = [
    `// Generated by bench/lib/fixtures.mjs: ${counts.web} web and ${counts.worker} worker releases.`,
    `import { defineApp } from 'kc/chart';`,
    `import { WebChart, WorkerChart } from './charts/fleet.js';`,
    ``,
    `export default defineApp((app) => {`,
  ];
  for (let i = 0; i < counts.web; i++) {
    const props = {
      image: { repository: `registry.example.com/team-${i % 7}/web-${pad(i)}`, tag: `1.${i % 13}.${i % 5}` },
      replicas: 2 + (i % 3),
      host: `web-${pad(i)}.example.com`,
      env: { LOG_LEVEL: i % 2 ? 'info' : 'debug', REGION: ['eu-west-1', 'us-east-1', 'ap-south-1'][i % 3], FEATURE_X: String(i % 4 === 0) },
      apiKey: `key-${pad(i)}`,
    };
    lines.push(`  const web${pad(i)} = new WebChart(app, 'web-${pad(i)}', ${JSON.stringify(props)});`);
  }
  for (let i = 0; i < counts.worker; i++) {
    const props = {
      image: { repository: `registry.example.com/team-${i % 7}/worker`, tag: `3.2.${i % 9}` },
      replicas: 1 + (i % 2),
      queue: `jobs-${pad(i)}`,
      concurrency: 2 + (i % 6),
      databaseUrl: `postgres://worker-${pad(i)}@db:5432/jobs`,
      // Quotas are namespace-wide: to deploy many workers into one namespace, each must allow all of them.
      ...(counts.quota ? { quota: counts.quota } : {}),
    };
    lines.push(`  new WorkerChart(app, 'worker-${pad(i)}', ${JSON.stringify(props)}).addDependency(web${pad(i % counts.web)});`);
  }
  lines.push(`});`, ``);
  write(path.join(dir, 'app.ts'), lines.join('\n'));
  write(
    path.join(dir, 'kc.config.ts'),
    [
      `import { defineConfig } from 'kc/config';`,
      ``,
      `export default defineConfig({`,
      `  app: './app.ts',`,
      `  environments: {`,
      `    prod: {`,
      `      namespace: 'fleet',`,
      `      values: {`,
      `        'web-000': { replicas: 6, autoscaling: { max: 30 } },`,
      `        'web-001': { image: { tag: '2.0.0' } },`,
      `        'worker-000': { concurrency: 16, quota: { pods: ${counts.quota?.pods ?? 50} } },`,
      `      },`,
      `    },`,
      `  },`,
      `});`,
      ``,
    ].join('\n'),
  );
  return dir;
}
