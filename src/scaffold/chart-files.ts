import { chartIndex } from './chart-index.js';
import type { ChartNames } from './names.js';

/** The image a new chart runs (nginx answers HTTP on port 80 out of the box). */
const APP_VERSION = '1.27.3';

function packageJson(n: ChartNames): string {
  const pkg = {
    name: n.name,
    version: '0.1.0',
    appVersion: APP_VERSION,
    description: `A kc chart for ${n.name}: a web application behind a Service.`,
    private: true,
    main: 'index.ts',
    kc: { chart: 'index.ts' },
  };
  return JSON.stringify(pkg, null, 2) + '\n';
}

function values(n: ChartNames): string {
  return `import { z } from 'zod';
import pkg from './package.json' with { type: 'json' };

const quantity = z.string().regex(/^\\d+(\\.\\d+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$/, 'must be a Kubernetes quantity such as 128Mi or 100m');
const resourceList = z.record(z.string(), quantity);
const port = z.number().int().min(1).max(65535);
const dnsLabelOrEmpty = z.string().max(63).regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/, 'must be empty or a DNS label: lower-case letters, digits and "-"');

/** Values of the ${n.name} chart. Groups use .prefault({}) so their own defaults apply when left out. */
export const ${n.valuesName} = z.object({
  nameOverride: dnsLabelOrEmpty.default('').describe('Replaces the chart name in object names and the app.kubernetes.io/name label.'),
  fullnameOverride: dnsLabelOrEmpty.default('').describe('Replaces the whole object name.'),
  replicaCount: z.number().int().min(0).default(1).describe('Number of pods; ignored when autoscaling is enabled.'),
  image: z
    .object({
      repository: z.string().min(1).default('nginx').describe('Container image repository.'),
      tag: z.string().min(1).default(pkg.appVersion).describe('Image tag; defaults to the chart appVersion.'),
      pullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent').describe('When the kubelet pulls the image.'),
    })
    .prefault({}),
  containerPort: port.default(80).describe('Port the container listens on (named "http").'),
  env: z.record(z.string(), z.string()).default({}).describe('Environment variables of the container, name to value.'),
  serviceAccount: z
    .object({
      create: z.boolean().default(true).describe('Create a ServiceAccount for the pods.'),
      name: z.string().default('').describe('Its name; empty uses the release fullname (or "default" when not created).'),
    })
    .prefault({}),
  service: z
    .object({
      type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).default('ClusterIP').describe('How the Service is exposed.'),
      port: port.default(80).describe('Port of the Service; it forwards to the container port named "http".'),
    })
    .prefault({}),
  ingress: z
    .object({
      enabled: z.boolean().default(false).describe('Create an Ingress for the Service.'),
      className: z.string().default('').describe('IngressClass; empty uses the cluster default.'),
      host: z.string().min(1).default('chart-example.local').describe('Host name the Ingress routes.'),
      path: z.string().startsWith('/').default('/').describe('Path prefix routed to the Service.'),
      tlsSecret: z.string().optional().describe('Secret with the TLS certificate for the host; unset serves plain HTTP.'),
    })
    .prefault({}),
  resources: z
    .object({
      requests: resourceList.default({ cpu: '100m', memory: '128Mi' }).describe('What the scheduler reserves for each pod.'),
      limits: resourceList.default({}).describe('Hard limits of each pod; empty sets none.'),
    })
    .prefault({}),
  probes: z
    .object({ path: z.string().startsWith('/').default('/').describe('HTTP path of the liveness and readiness probes.') })
    .prefault({}),
  autoscaling: z
    .object({
      enabled: z.boolean().default(false).describe('Create a HorizontalPodAutoscaler; the Deployment then leaves replicas to it.'),
      minReplicas: z.number().int().min(1).default(1).describe('Fewest pods the autoscaler keeps.'),
      maxReplicas: z.number().int().min(1).default(5).describe('Most pods the autoscaler starts.'),
      targetCPUUtilizationPercentage: z.number().int().min(1).max(100).default(80).describe('Average CPU utilization to aim for.'),
    })
    .refine((a) => a.minReplicas <= a.maxReplicas, { message: 'must not exceed maxReplicas', path: ['minReplicas'] })
    .prefault({}),
});

/** Props of ${n.className}: every field has a default. */
export type ${n.valuesType} = z.input<typeof ${n.valuesName}>;
`;
}

function notes(n: ChartNames): string {
  return `import type { z } from 'zod';
import { fullname, type ReleaseInfo } from 'kc/chart';
import pkg from './package.json' with { type: 'json' };
import type { ${n.valuesName} } from './values.js';

/** Printed after a deploy and by \`kc get notes\`: how to reach the application. */
export function ${n.stem}Notes(v: z.output<typeof ${n.valuesName}>, release: ReleaseInfo): string {
  const name = fullname(release.name, pkg.name, v);
  const ns = release.namespace ?? 'default';
  if (v.ingress.enabled) return \`Open http\${v.ingress.tlsSecret ? 's' : ''}://\${v.ingress.host}\${v.ingress.path}\`;
  return [
    'Reach the application through a port-forward:',
    \`  kubectl --namespace \${ns} port-forward svc/\${name} 8080:\${v.service.port}\`,
    '  # then visit http://127.0.0.1:8080',
  ].join('\\n');
}
`;
}

function tests(n: ChartNames): string {
  return `import type { Construct } from 'constructs';
import type { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { check, fullname, hook, type ChartTest } from 'kc/chart';
import pkg from './package.json' with { type: 'json' };
import type { ${n.valuesName} } from './values.js';

/** Helm's test-connection pod as a Job: \`kc test\` runs it, and it passes when the Service answers HTTP. */
export function addConnectionTest(scope: Construct, name: string, port: number): void {
  const job = new k8s.KubeJob(scope, 'test-connection', {
    metadata: { name: \`\${name}-test-connection\` },
    spec: {
      backoffLimit: 0,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'wget',
              image: 'busybox:1.37.0',
              command: ['wget', '-qO-', '-T', '10', \`http://\${name}:\${port}\`],
              resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') } },
            },
          ],
        },
      },
    },
  });
  hook(job, { on: ['test'], deletePolicy: ['before-hook-creation'] });
}

type Values = z.output<typeof ${n.valuesName}>;
type Deployment = { spec?: { template?: { spec?: { containers?: { image?: string }[] } } }; status?: { availableReplicas?: number } };
type Service = { spec?: { ports?: { port?: number }[] } };

/** Typed checks \`kc test\` runs against the live release. */
export const ${n.stem}Tests: ChartTest<Values>[] = [
  {
    name: 'the Deployment is available and runs the configured image',
    async run(t) {
      const name = fullname(t.release.name, pkg.name, t.values);
      const d = (await t.get('apps/v1', 'Deployment', name)) as Deployment | undefined;
      check(d, \`Deployment \${name} does not exist\`);
      check((d.status?.availableReplicas ?? 0) >= 1, \`Deployment \${name} has no available replica\`);
      const image = \`\${t.values.image.repository}:\${t.values.image.tag}\`;
      check(d.spec?.template?.spec?.containers?.[0]?.image === image, \`Deployment \${name} does not run \${image}\`);
    },
  },
  {
    name: 'the Service listens on the configured port',
    async run(t) {
      const name = fullname(t.release.name, pkg.name, t.values);
      const svc = (await t.get('v1', 'Service', name)) as Service | undefined;
      check(svc?.spec?.ports?.[0]?.port === t.values.service.port, \`Service \${name} does not listen on \${t.values.service.port}\`);
    },
  },
];
`;
}

function readme(n: ChartNames): string {
  return `# ${n.name}

A kc chart (made by \`kc create ${n.name}\`): a web application (\`nginx:${APP_VERSION}\` by default) in a
Deployment behind a Service, with an optional ServiceAccount, Ingress and HorizontalPodAutoscaler.

| File | What it holds |
| --- | --- |
| \`values.ts\` | The values: a zod schema with defaults and descriptions (\`kc show values\` prints them). |
| \`index.ts\` | \`${n.className}\`, which turns the values into Kubernetes objects. |
| \`notes.ts\` | Text printed after a deploy and by \`kc get notes\`. |
| \`tests.ts\` | What \`kc test\` runs: a connection-test Job (a hook, not deployed) and typed checks. |

## Use

\`\`\`sh
kc template ${n.name} .               # render to YAML without a cluster
kc lint .                             # type-check, validate against the Kubernetes schema, rule checks
kc install ${n.name} . --set replicaCount=2
kc test ${n.name} .
\`\`\`

From an app:

\`\`\`ts
import { ${n.className} } from './charts/${n.name}/index.js';

new ${n.className}(app, '${n.name}', { replicaCount: 2, ingress: { enabled: true, host: 'example.com' } });
\`\`\`

Props are type-checked: \`${n.valuesType}\` is the schema's input type, so a misspelled or mistyped value does
not compile. Every object is named after the release (the release name if it contains \`${n.name}\`, else
\`<release>-${n.name}\`, as in Helm; \`nameOverride\` and \`fullnameOverride\` change it) and pods are selected by
\`app.kubernetes.io/name\` and \`app.kubernetes.io/instance\`.
`;
}

/** The files of a new chart, relative to its folder. */
export function chartFiles(n: ChartNames): Record<string, string> {
  return {
    'package.json': packageJson(n),
    'values.ts': values(n),
    'index.ts': chartIndex(n),
    'notes.ts': notes(n),
    'tests.ts': tests(n),
    'README.md': readme(n),
  };
}
