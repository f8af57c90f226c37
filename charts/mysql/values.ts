import { z } from 'zod';
import { secret } from 'kc/chart';

const quantity = z.string().regex(/^\d+(\.\d+)?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$/, 'must be a Kubernetes quantity such as 4Gi or 500m');
const resourceList = z.record(z.string(), quantity);

/** A static PersistentVolume to create for the claim (the seed's NFS volume, or a hostPath one). */
const staticVolume = z
  .object({
    nfs: z.object({ server: z.string(), path: z.string() }).optional().describe('NFS export backing the volume.'),
    hostPath: z.object({ path: z.string() }).optional().describe('Host directory backing the volume (single-node clusters).'),
    reclaimPolicy: z.enum(['Retain', 'Delete', 'Recycle']).default('Retain'),
  })
  .refine((v) => Boolean(v.nfs) !== Boolean(v.hostPath), { message: 'set exactly one of nfs or hostPath' });

const duration = z.string().regex(/^(\d+(ms|s|m|h))+$/, 'must be a Prometheus duration such as 30s or 1m');

/** A mysqld-exporter sidecar and, for the Prometheus Operator, a ServiceMonitor that scrapes it. */
const metrics = z
  .object({
    enabled: z.boolean().default(false).describe('Run a mysqld-exporter sidecar, scraped on Service port "metrics".'),
    image: z
      .object({
        repository: z.string().default('prom/mysqld-exporter'),
        tag: z.string().default('v0.15.1'),
      })
      .prefault({}),
    serviceMonitor: z
      .object({
        enabled: z.boolean().default(false).describe('Create a ServiceMonitor (needs the Prometheus Operator\'s CRD).'),
        interval: duration.default('30s').describe('How often Prometheus scrapes the exporter.'),
        labels: z
          .record(z.string(), z.string())
          .default({})
          .describe('Extra labels, e.g. the ones your Prometheus selects ServiceMonitors by.'),
      })
      .prefault({}),
  })
  .refine((m) => m.enabled || !m.serviceMonitor.enabled, {
    message: 'a ServiceMonitor needs the exporter it scrapes: set metrics.enabled too',
    path: ['serviceMonitor', 'enabled'],
  });

/** Values of the mysql chart. */
export const mysqlValues = z.object({
  rootPassword: secret(z.string().min(1, 'must not be empty'), 'Password of the MySQL root user (required).'),
  user: z.string().default('').describe('Name of a user to create (MYSQL_USER); empty creates none.'),
  password: secret(z.string(), 'Password of `user` (MYSQL_PASSWORD).').optional(),
  database: z.string().default('').describe('Name of a database to create (MYSQL_DATABASE); empty creates none.'),
  image: z
    .object({
      repository: z.string().default('mysql'),
      tag: z.string().default('5.7.14'),
      pullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
    })
    .prefault({}),
  persistence: z
    .object({
      enabled: z.boolean().default(true).describe('Keep data in a PersistentVolumeClaim; false uses an emptyDir.'),
      size: quantity.default('4Gi'),
      accessMode: z.enum(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']).default('ReadWriteOnce'),
      storageClass: z.string().optional().describe('StorageClass of the claim; unset uses the cluster default.'),
      volume: staticVolume.optional().describe('Create a static PersistentVolume for the claim.'),
    })
    .prefault({}),
  service: z
    .object({
      type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).default('ClusterIP'),
      port: z.number().int().min(1).max(65535).default(3306),
    })
    .prefault({}),
  resources: z
    .object({ requests: resourceList.optional(), limits: resourceList.optional() })
    .default({ requests: { cpu: '100m', memory: '256Mi' } }),
  metrics: metrics.prefault({}),
});

/** Props of MySqlChart: every field but `rootPassword` has a default. */
export type MySqlValues = z.input<typeof mysqlValues>;
