import type { ChartNames } from './names.js';

/** The chart's index.ts: the chart class (Deployment, Service, optional ServiceAccount, Ingress, autoscaler). */
export function chartIndex(n: ChartNames): string {
  return `import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta, type NameOverrides } from 'kc/chart';
import pkg from './package.json' with { type: 'json' };
import { ${n.valuesName}, type ${n.valuesType} } from './values.js';
import { ${n.stem}Notes } from './notes.js';
import { addConnectionTest, ${n.stem}Tests } from './tests.js';

export { ${n.valuesName}, type ${n.valuesType} } from './values.js';

type Values = ${n.className}['values'];

/** Quantities such as \`100m\` or \`128Mi\`; an empty map renders nothing. */
function quantities(list: Record<string, string>): Record<string, k8s.Quantity> | undefined {
  const entries = Object.entries(list);
  return entries.length ? Object.fromEntries(entries.map(([k, q]) => [k, k8s.Quantity.fromString(q)])) : undefined;
}

/** A web application: a Deployment behind a Service, with an optional ServiceAccount, Ingress and autoscaler. */
export class ${n.className} extends KcChart<typeof ${n.valuesName}> {
  static readonly meta: ChartMeta<typeof ${n.valuesName}> = {
    name: pkg.name,
    version: pkg.version,
    appVersion: pkg.appVersion,
    description: pkg.description,
    schema: ${n.valuesName},
    notes: ${n.stem}Notes,
    tests: ${n.stem}Tests,
  };

  constructor(scope: Construct, id: string, props: ${n.valuesType} = {}) {
    super(scope, id, ${n.className}.meta, props);
    const v = this.values;
    const name = this.fullname;

    if (v.serviceAccount.create) {
      new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name: this.serviceAccountName } });
    }
    // The Service targets the container port by name, so the port number can change in one place.
    new k8s.KubeService(this, 'service', {
      metadata: { name },
      spec: {
        type: v.service.type,
        ports: [{ name: 'http', port: v.service.port, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
        selector: this.selectorLabels,
      },
    });
    this.addDeployment(v, name);
    if (v.ingress.enabled) this.addIngress(v, name);
    if (v.autoscaling.enabled) this.addAutoscaler(v, name);
    addConnectionTest(this, name, v.service.port);
  }

  /** Helm's nameOverride and fullnameOverride: names and labels follow them. */
  protected override get nameOverrides(): NameOverrides {
    return { nameOverride: this.values.nameOverride, fullnameOverride: this.values.fullnameOverride };
  }

  /** Name of the ServiceAccount the pods run as: the chosen one, the fullname, or \`default\`. */
  get serviceAccountName(): string {
    const sa = this.values.serviceAccount;
    return sa.name || (sa.create ? this.fullname : 'default');
  }

  private addDeployment(v: Values, name: string): void {
    const probe = { httpGet: { path: v.probes.path, port: k8s.IntOrString.fromString('http') } };
    const env = Object.entries(v.env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([envName, value]) => ({ name: envName, value }));
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name },
      spec: {
        // With an autoscaler the HPA owns the replica count; a fixed one would fight it on every deploy.
        replicas: v.autoscaling.enabled ? undefined : v.replicaCount,
        selector: { matchLabels: this.selectorLabels },
        template: {
          metadata: { labels: this.labels },
          spec: {
            serviceAccountName: this.serviceAccountName,
            containers: [
              {
                name: this.meta.name,
                image: \`\${v.image.repository}:\${v.image.tag}\`,
                imagePullPolicy: v.image.pullPolicy,
                ports: [{ name: 'http', containerPort: v.containerPort, protocol: 'TCP' }],
                env: env.length ? env : undefined,
                livenessProbe: probe,
                readinessProbe: probe,
                resources: { requests: quantities(v.resources.requests), limits: quantities(v.resources.limits) },
                securityContext: { allowPrivilegeEscalation: false },
              },
            ],
          },
        },
      },
    });
  }

  private addIngress(v: Values, name: string): void {
    const ingress = v.ingress;
    new k8s.KubeIngress(this, 'ingress', {
      metadata: { name },
      spec: {
        ingressClassName: ingress.className || undefined,
        rules: [
          {
            host: ingress.host,
            http: { paths: [{ path: ingress.path, pathType: 'Prefix', backend: { service: { name, port: { name: 'http' } } } }] },
          },
        ],
        tls: ingress.tlsSecret ? [{ hosts: [ingress.host], secretName: ingress.tlsSecret }] : undefined,
      },
    });
  }

  private addAutoscaler(v: Values, name: string): void {
    const a = v.autoscaling;
    new k8s.KubeHorizontalPodAutoscalerV2(this, 'autoscaler', {
      metadata: { name },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: a.minReplicas,
        maxReplicas: a.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: a.targetCPUUtilizationPercentage } } }],
      },
    });
  }
}

export default ${n.className};
`;
}
