import type { Construct } from 'constructs';
import type { z } from 'zod';
import { k8s } from 'cdk8s-plus-27';
import { check, fullname, hook, type ChartTest } from 'kc/chart';
import type { mysqlValues } from './values.js';

/** The seed's verification as a test Job: a mysql client lists the databases as root. */
export function addClientTest(scope: Construct, name: string, v: z.output<typeof mysqlValues>): void {
  const job = new k8s.KubeJob(scope, 'test-client', {
    metadata: { name: `${name}-test` },
    spec: {
      backoffLimit: 0,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'mysql-client',
              image: `${v.image.repository}:${v.image.tag}`,
              command: ['sh', '-c', `mysql -h ${name} -P ${v.service.port} -u root -p"$MYSQL_ROOT_PASSWORD" -e "show databases"`],
              env: [{ name: 'MYSQL_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name, key: 'mysql-root-password' } } }],
              resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('32Mi') } },
            },
          ],
        },
      },
    },
  });
  hook(job, { on: ['test'], deletePolicy: ['before-hook-creation'] });
}

/** Typed checks run by `kc test` against the live release. */
export const mysqlTests: ChartTest<z.output<typeof mysqlValues>>[] = [
  {
    name: 'the Deployment is available with the configured image',
    async run(t) {
      const name = fullname(t.release.name, 'mysql');
      const d = (await t.get('apps/v1', 'Deployment', name)) as { spec?: { template?: { spec?: { containers?: { image?: string }[] } } }; status?: { availableReplicas?: number } } | undefined;
      check(d, `Deployment ${name} does not exist`);
      check((d.status?.availableReplicas ?? 0) >= 1, `Deployment ${name} has no available replica`);
      const image = d.spec?.template?.spec?.containers?.[0]?.image;
      check(image === `${t.values.image.repository}:${t.values.image.tag}`, `Deployment ${name} runs ${image}, expected ${t.values.image.repository}:${t.values.image.tag}`);
    },
  },
  {
    name: 'the Service selects the MySQL pods on the mysql port',
    async run(t) {
      const name = fullname(t.release.name, 'mysql');
      const svc = (await t.get('v1', 'Service', name)) as { spec?: { ports?: { port?: number; targetPort?: unknown }[] } } | undefined;
      check(svc, `Service ${name} does not exist`);
      check(svc.spec?.ports?.[0]?.port === t.values.service.port, `Service ${name} listens on ${svc.spec?.ports?.[0]?.port}, expected ${t.values.service.port}`);
    },
  },
];
