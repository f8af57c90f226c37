import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { KcChart, type ChartMeta } from 'kc/chart';
import pkg from './package.json' with { type: 'json' };
import { mysqlValues, type MySqlValues } from './values.js';
import { mysqlNotes } from './notes.js';
import { addClientTest, mysqlTests } from './tests.js';

export { mysqlValues, type MySqlValues } from './values.js';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The seed's MySQL: Service, Secret, PersistentVolumeClaim (+ optional static PersistentVolume) and Deployment. */
export class MySqlChart extends KcChart<typeof mysqlValues> {
  static readonly meta: ChartMeta<typeof mysqlValues> = {
    name: pkg.name,
    version: pkg.version,
    appVersion: pkg.appVersion,
    description: pkg.description,
    schema: mysqlValues,
    notes: mysqlNotes,
    tests: mysqlTests,
  };

  constructor(scope: Construct, id: string, props: MySqlValues) {
    super(scope, id, MySqlChart.meta, props);
    const v = this.values;
    const name = this.fullname;
    const labels = { app: name };
    const metadata = { name, labels };

    new k8s.KubeService(this, 'service', {
      metadata,
      spec: {
        type: v.service.type,
        ports: [{ name: 'mysql', port: v.service.port, targetPort: k8s.IntOrString.fromString('mysql') }],
        selector: { app: name, ...this.selectorLabels },
      },
    });

    const data: Record<string, string> = { 'mysql-root-password': base64(v.rootPassword) };
    if (v.password !== undefined) data['mysql-password'] = base64(v.password);
    new k8s.KubeSecret(this, 'secret', { metadata, type: 'Opaque', data });

    const p = v.persistence;
    if (p.enabled && p.volume) {
      new k8s.KubePersistentVolume(this, 'volume', {
        metadata,
        spec: {
          capacity: { storage: k8s.Quantity.fromString(p.size) },
          accessModes: [p.accessMode],
          persistentVolumeReclaimPolicy: p.volume.reclaimPolicy,
          storageClassName: p.storageClass,
          nfs: p.volume.nfs,
          hostPath: p.volume.hostPath,
          // Reserve the volume for this release's claim so no other claim takes it.
          claimRef: this.release.namespace ? { name, namespace: this.release.namespace } : undefined,
        },
      });
    }
    if (p.enabled) {
      new k8s.KubePersistentVolumeClaim(this, 'claim', {
        metadata,
        spec: {
          accessModes: [p.accessMode],
          resources: { requests: { storage: k8s.Quantity.fromString(p.size) } },
          storageClassName: p.storageClass,
        },
      });
    }

    const secretEnv = (envName: string, key: string) => ({ name: envName, valueFrom: { secretKeyRef: { name, key } } });
    const env = [secretEnv('MYSQL_ROOT_PASSWORD', 'mysql-root-password')];
    if (v.password !== undefined) env.push(secretEnv('MYSQL_PASSWORD', 'mysql-password'));
    const quantities = (list?: Record<string, string>) =>
      list && Object.fromEntries(Object.entries(list).map(([k, q]) => [k, k8s.Quantity.fromString(q)]));

    new k8s.KubeDeployment(this, 'deployment', {
      metadata,
      spec: {
        selector: { matchLabels: { app: name, ...this.selectorLabels } },
        // Two MySQL pods must never share a data directory, so the old pod stops before the new one starts.
        // (Always Recreate: switching strategy types under server-side apply leaves defaulted rollingUpdate behind.)
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels: { app: name, ...this.selectorLabels } },
          spec: {
            containers: [
              {
                name,
                image: `${v.image.repository}:${v.image.tag}`,
                imagePullPolicy: v.image.pullPolicy,
                env: [...env, { name: 'MYSQL_USER', value: v.user }, { name: 'MYSQL_DATABASE', value: v.database }],
                ports: [{ name: 'mysql', containerPort: 3306 }],
                livenessProbe: {
                  exec: { command: ['sh', '-c', 'mysqladmin ping -u root -p"$MYSQL_ROOT_PASSWORD"'] },
                  initialDelaySeconds: 30,
                  periodSeconds: 10,
                  timeoutSeconds: 5,
                },
                readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('mysql') }, initialDelaySeconds: 5, periodSeconds: 10 },
                resources: { requests: quantities(v.resources.requests), limits: quantities(v.resources.limits) },
                volumeMounts: [{ name: 'data', mountPath: '/var/lib/mysql' }],
              },
            ],
            volumes: [p.enabled ? { name: 'data', persistentVolumeClaim: { claimName: name } } : { name: 'data', emptyDir: {} }],
          },
        },
      },
    });

    addClientTest(this, name, v);
  }
}

export default MySqlChart;
