import type { Construct } from 'constructs';
import { ApiObject, JsonPatch } from 'cdk8s';
import { k8s, ServiceAccount } from 'cdk8s-plus-27';
import { KcChart, yieldFields, type ChartMeta, type NameOverrides } from 'kc/chart';
import pkg from './package.json' with { type: 'json' };
import { webappValues, type WebAppValues } from './values.js';
import { webappNotes } from './notes.js';

export { webappValues, type WebAppValues } from './values.js';

type Values = WebAppChart['values'];

/** Drops empty maps and lists so the manifest carries no `{}` or `[]` noise. */
function nonEmpty<T extends object>(value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  const size = Array.isArray(value) ? value.length : Object.values(value).filter((x) => x !== undefined).length;
  return size > 0 ? value : undefined;
}

function quantities(list?: Record<string, string>): Record<string, k8s.Quantity> | undefined {
  if (!nonEmpty(list)) return undefined;
  return Object.fromEntries(Object.entries(list!).map(([k, q]) => [k, k8s.Quantity.fromString(q)]));
}

function containerSecurityContext(sc: Values['securityContext']): k8s.SecurityContext {
  const capabilities = { add: nonEmpty(sc.capabilities.add), drop: nonEmpty(sc.capabilities.drop) };
  return {
    allowPrivilegeEscalation: sc.allowPrivilegeEscalation,
    privileged: sc.privileged,
    readOnlyRootFilesystem: sc.readOnlyRootFilesystem,
    runAsNonRoot: sc.runAsNonRoot,
    runAsUser: sc.runAsUser,
    capabilities: capabilities.add || capabilities.drop ? capabilities : undefined,
  };
}

function httpProbe(p: Values['probes']): k8s.Probe {
  return {
    httpGet: { path: p.path, port: k8s.IntOrString.fromString('http') },
    initialDelaySeconds: p.initialDelaySeconds,
    periodSeconds: p.periodSeconds,
  };
}

/**
 * The chart `helm create` scaffolds, as code: a Deployment of nginx behind a Service, with an optional
 * ServiceAccount, Ingress and HorizontalPodAutoscaler.
 */
export class WebAppChart extends KcChart<typeof webappValues> {
  static readonly meta: ChartMeta<typeof webappValues> = {
    name: pkg.name,
    version: pkg.version,
    appVersion: pkg.appVersion,
    description: pkg.description,
    schema: webappValues,
    notes: webappNotes,
  };

  constructor(scope: Construct, id: string, props: WebAppValues = {}) {
    super(scope, id, WebAppChart.meta, props);
    const v = this.values;
    const name = this.fullname;

    // cdk8s-plus's ServiceAccount renders exactly the object helm create does, so the L2 construct is used here.
    if (v.serviceAccount.create) {
      new ServiceAccount(this, 'service-account', {
        metadata: { name: this.serviceAccountName, annotations: nonEmpty(v.serviceAccount.annotations) },
        automountToken: v.serviceAccount.automount,
      });
    }

    // L1: cdk8s-plus's Service only takes numeric target ports; naming the container port lets it change alone.
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
  }

  /** helm create's nameOverride and fullnameOverride, from the values. */
  protected override get nameOverrides(): NameOverrides {
    return { nameOverride: this.values.nameOverride, fullnameOverride: this.values.fullnameOverride };
  }

  /** Name of the ServiceAccount the pods run as (Helm's `serviceAccountName` helper). */
  get serviceAccountName(): string {
    const sa = this.values.serviceAccount;
    return sa.name || (sa.create ? this.fullname : 'default');
  }

  // L1: cdk8s-plus's Deployment always adds a hash-valued `cdk8s.io/metadata.addr` pod label (even with
  // `select: false`), defaults to 2 replicas and a non-root, read-only container that stock nginx cannot run as.
  private addDeployment(v: Values, name: string): void {
    const env = Object.entries(v.env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([envName, value]) => ({ name: envName, value }));
    // Pods carry the release's full label set, like helm create's template; selector labels are applied
    // last so a podLabels entry cannot stop the Deployment and Service from matching its own pods.
    const podLabels = { ...this.labels, ...v.podLabels, ...this.selectorLabels };

    // A plain ApiObject of KubeDeployment's manifest: KubeDeployment.toJson() re-filters the object through its
    // generated types after JSON patches, which would drop the affinity patched in below.
    const deployment = new ApiObject(this, 'deployment', k8s.KubeDeployment.manifest({
      metadata: { name },
      spec: {
        // Set when the Deployment is created; yielded below when an autoscaler or `kubectl scale` owns it after.
        replicas: v.autoscaling.enabled ? v.autoscaling.minReplicas : v.replicaCount,
        selector: { matchLabels: this.selectorLabels },
        template: {
          metadata: { labels: podLabels, annotations: nonEmpty(v.podAnnotations) },
          spec: {
            serviceAccountName: this.serviceAccountName,
            imagePullSecrets: nonEmpty(v.imagePullSecrets.map((secretName) => ({ name: secretName }))),
            securityContext: nonEmpty(v.podSecurityContext),
            containers: [
              {
                name: this.meta.name,
                image: `${v.image.repository}:${v.image.tag}`,
                imagePullPolicy: v.image.pullPolicy,
                ports: [{ name: 'http', containerPort: v.containerPort, protocol: 'TCP' }],
                env: nonEmpty(env),
                livenessProbe: httpProbe(v.probes),
                readinessProbe: httpProbe(v.probes),
                resources: nonEmpty({ requests: quantities(v.resources.requests), limits: quantities(v.resources.limits) }),
                securityContext: containerSecurityContext(v.securityContext),
              },
            ],
            nodeSelector: nonEmpty(v.nodeSelector),
            tolerations: nonEmpty(v.tolerations),
          },
        },
      },
    }));
    // kc sends replicas only when it creates the Deployment, so the HPA's (or `kubectl scale`'s) count survives
    // every deploy instead of being reset or refused as a field conflict.
    if (v.autoscaling.enabled || v.yieldReplicas) yieldFields(deployment, 'spec.replicas');
    // As written: cdk8s's typed props would drop any field its generated types do not list.
    if (nonEmpty(v.affinity)) deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/affinity', v.affinity));
    if (nonEmpty(v.volumes)) deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/volumes', v.volumes));
    if (nonEmpty(v.volumeMounts)) deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts', v.volumeMounts));
  }

  // L1: cdk8s-plus's Ingress can only route to a cdk8s-plus Service, which the Service above is not.
  private addIngress(v: Values, name: string): void {
    const backend = { service: { name, port: { number: v.service.port } } };
    new k8s.KubeIngress(this, 'ingress', {
      metadata: { name, annotations: nonEmpty(v.ingress.annotations) },
      spec: {
        ingressClassName: v.ingress.className || undefined,
        rules: v.ingress.hosts.map((h) => ({
          host: h.host,
          http: { paths: h.paths.map((p) => ({ path: p.path, pathType: p.pathType, backend })) },
        })),
        tls: nonEmpty(v.ingress.tls.map((t) => ({ hosts: nonEmpty(t.hosts), secretName: t.secretName }))),
      },
    });
  }

  // L1: cdk8s-plus's autoscaler needs a cdk8s-plus workload and adds scale-up/down behavior helm create leaves out.
  private addAutoscaler(v: Values, name: string): void {
    const a = v.autoscaling;
    const utilization = (resource: string, percent?: number) =>
      percent === undefined ? [] : [{ type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization: percent } } }];
    new k8s.KubeHorizontalPodAutoscalerV2(this, 'autoscaler', {
      metadata: { name },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: a.minReplicas,
        maxReplicas: a.maxReplicas,
        metrics: [...utilization('cpu', a.targetCPUUtilizationPercentage), ...utilization('memory', a.targetMemoryUtilizationPercentage)],
      },
    });
  }
}

export default WebAppChart;
