import { z } from 'zod';
import pkg from './package.json' with { type: 'json' };

const quantity = z.string().regex(/^\d+(\.\d+)?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$/, 'must be a Kubernetes quantity such as 128Mi or 100m');
const resourceList = z.record(z.string(), quantity);
const stringMap = z.record(z.string(), z.string());
const port = z.number().int().min(1).max(65535);
const percent = z.number().int().min(1).max(100);

const ingressPath = z.object({
  path: z.string().startsWith('/', 'must begin with "/"').default('/').describe('URL path prefix or exact path.'),
  pathType: z.enum(['Prefix', 'Exact', 'ImplementationSpecific']).default('ImplementationSpecific').describe('How the path is matched.'),
});

const ingressHost = z.object({
  host: z.string().min(1).describe('Host name the rule matches (the HTTP Host header).'),
  paths: z.array(ingressPath).min(1).default([{ path: '/', pathType: 'ImplementationSpecific' }]).describe('Paths routed to the Service.'),
});

const ingressTls = z.object({
  secretName: z.string().min(1).describe('Secret holding the certificate and key.'),
  hosts: z.array(z.string()).default([]).describe('Hosts the certificate covers.'),
});

// A DNS label (it names objects and is a label value), or empty for "not set", as in helm create's values.
const nameOverride = z
  .string()
  .max(63)
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/, 'must be empty or a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit');

const toleration = z.object({
  key: z.string().optional(),
  operator: z.enum(['Equal', 'Exists']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.number().int().optional(),
});

/** Values of the webapp chart: the settings of `helm create`'s scaffold. */
export const webappValues = z.object({
  nameOverride: nameOverride.default('').describe('Replaces the chart name in object names and the app.kubernetes.io/name label.'),
  fullnameOverride: nameOverride.default('').describe('Replaces the whole object name (otherwise <release>-<name>, or the release name when it contains the name).'),
  replicaCount: z.number().int().min(0).default(1).describe('Number of pods; ignored when autoscaling is enabled.'),
  yieldReplicas: z
    .boolean()
    .default(false)
    .describe('Set replicas only when the Deployment is created and leave later changes (kubectl scale) alone.'),
  image: z
    .object({
      repository: z.string().min(1).default('nginx').describe('Container image repository.'),
      tag: z.string().min(1).default(pkg.appVersion).describe('Image tag; defaults to the chart appVersion.'),
      pullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent').describe('When the kubelet pulls the image.'),
    })
    .prefault({}),
  imagePullSecrets: z.array(z.string()).default([]).describe('Names of Secrets used to pull the image.'),
  containerPort: port.default(80).describe('Port the container listens on (named "http").'),
  env: stringMap.default({}).describe('Environment variables of the container, name to value.'),
  serviceAccount: z
    .object({
      create: z.boolean().default(true).describe('Create a ServiceAccount for the pods.'),
      automount: z.boolean().default(true).describe("Mount the ServiceAccount's API token into the pods."),
      annotations: stringMap.default({}).describe('Annotations of the ServiceAccount.'),
      name: z.string().default('').describe('Name of the ServiceAccount; empty uses the release fullname (or "default" when not created).'),
    })
    .prefault({}),
  podAnnotations: stringMap.default({}).describe('Annotations of the pods.'),
  podLabels: stringMap.default({}).describe('Extra labels of the pods.'),
  podSecurityContext: z
    .object({
      runAsNonRoot: z.boolean().optional().describe('Refuse to start containers that run as root.'),
      runAsUser: z.number().int().optional().describe('User ID of the containers.'),
      runAsGroup: z.number().int().optional().describe('Primary group ID of the containers.'),
      fsGroup: z.number().int().optional().describe('Group that owns mounted volumes.'),
      fsGroupChangePolicy: z.enum(['OnRootMismatch', 'Always']).optional().describe('When volume ownership is changed to fsGroup.'),
      supplementalGroups: z.array(z.number().int()).optional().describe('Further group IDs of the containers.'),
      seccompProfile: z
        .object({
          type: z.enum(['RuntimeDefault', 'Localhost', 'Unconfined']).describe('Which seccomp profile applies.'),
          localhostProfile: z.string().optional().describe('Profile file on the node, for type Localhost.'),
        })
        .optional()
        .describe('Seccomp profile of the containers (RuntimeDefault is what restricted Pod Security asks for).'),
    })
    .prefault({})
    .describe('Security context of the pod; empty keeps the image defaults (nginx runs as root).'),
  securityContext: z
    .object({
      allowPrivilegeEscalation: z.boolean().default(false).describe('Let processes gain more privileges than their parent (setuid).'),
      privileged: z.boolean().default(false).describe('Run the container privileged (host-level access).'),
      readOnlyRootFilesystem: z.boolean().default(false).describe('nginx writes to /var/cache/nginx, so this is off by default.'),
      runAsNonRoot: z.boolean().optional().describe('Refuse to start the container as root.'),
      runAsUser: z.number().int().optional().describe('User ID the container runs as.'),
      capabilities: z
        .object({
          add: z.array(z.string()).default([]).describe('Linux capabilities to add.'),
          drop: z.array(z.string()).default([]).describe('Linux capabilities to drop, e.g. ["ALL"].'),
        })
        .prefault({}),
    })
    .prefault({})
    .describe('Security context of the container.'),
  service: z
    .object({
      type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).default('ClusterIP').describe('How the Service is exposed.'),
      port: port.default(80).describe('Port of the Service; it forwards to the container port named "http".'),
    })
    .prefault({}),
  ingress: z
    .object({
      enabled: z.boolean().default(false).describe('Create an Ingress for the Service.'),
      className: z.string().default('').describe('IngressClass of the Ingress; empty uses the cluster default.'),
      annotations: stringMap.default({}).describe('Annotations of the Ingress (controller settings).'),
      hosts: z
        .array(ingressHost)
        .default([{ host: 'chart-example.local', paths: [{ path: '/', pathType: 'ImplementationSpecific' }] }])
        .describe('Host rules of the Ingress.'),
      tls: z.array(ingressTls).default([]).describe('TLS settings of the Ingress.'),
    })
    .prefault({}),
  resources: z
    .object({ requests: resourceList.optional(), limits: resourceList.optional() })
    .prefault({})
    .describe('Container resources; empty sets none. Autoscaling on CPU needs requests.cpu.'),
  probes: z
    .object({
      path: z.string().startsWith('/', 'must begin with "/"').default('/').describe('HTTP path of the liveness and readiness probes.'),
      initialDelaySeconds: z.number().int().min(0).optional().describe('Seconds to wait before the first probe; unset uses the Kubernetes default (0).'),
      periodSeconds: z.number().int().min(1).optional().describe('Seconds between probes; unset uses the Kubernetes default (10).'),
    })
    .prefault({}),
  autoscaling: z
    .object({
      enabled: z.boolean().default(false).describe('Create a HorizontalPodAutoscaler; the Deployment then leaves replicas to it.'),
      minReplicas: z.number().int().min(1).default(1).describe('Fewest pods the autoscaler keeps.'),
      maxReplicas: z.number().int().min(1).default(100).describe('Most pods the autoscaler starts.'),
      targetCPUUtilizationPercentage: percent.default(80).describe('Average CPU utilization to aim for.'),
      targetMemoryUtilizationPercentage: percent.optional().describe('Average memory utilization to aim for.'),
    })
    .refine((a) => a.minReplicas <= a.maxReplicas, { message: 'must not exceed maxReplicas', path: ['minReplicas'] })
    .prefault({}),
  nodeSelector: stringMap.default({}).describe('Node labels the pods must be scheduled on.'),
  tolerations: z.array(toleration).default([]).describe('Taints the pods tolerate.'),
  // Free-form on purpose: the Kubernetes API validates these (and `kc lint` against its OpenAPI schema).
  volumes: z
    .array(z.record(z.string(), z.unknown()))
    .default([])
    .describe('Volumes of the pods as in a pod spec (configMap, secret, emptyDir, …), passed through as written.'),
  volumeMounts: z
    .array(z.record(z.string(), z.unknown()))
    .default([])
    .describe('Volume mounts of the container as in a container spec (name, mountPath, …), passed through as written.'),
  affinity: z
    .record(z.string(), z.unknown())
    .default({})
    .describe('Affinity of the pods as in a pod spec (nodeAffinity, podAffinity, podAntiAffinity), passed through as written.'),
});

/** Props of WebAppChart: every field has a default. */
export type WebAppValues = z.input<typeof webappValues>;
