import type { z } from 'zod';
import { fullname, type ReleaseInfo } from 'kc/chart';
import type { mysqlValues } from './values.js';

/** The chart's NOTES: how to reach the database and read its root password. */
export function mysqlNotes(v: z.output<typeof mysqlValues>, release: ReleaseInfo): string {
  const name = fullname(release.name, 'mysql');
  const ns = release.namespace ?? 'default';
  return [
    `MySQL is reachable inside the cluster at ${name}.${ns}.svc.cluster.local:${v.service.port}.`,
    '',
    'Read the root password:',
    `  kubectl get secret --namespace ${ns} ${name} -o jsonpath="{.data.mysql-root-password}" | base64 -d`,
    '',
    'Connect with a client pod:',
    `  kubectl run -it --rm --namespace ${ns} --image=${v.image.repository}:${v.image.tag} --restart=Never mysql-client -- mysql -h ${name} -u root -p`,
  ].join('\n');
}
