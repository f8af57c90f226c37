import { describe, expect, test } from '@jest/globals';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { knownImage, parseImage, ruleFindings, type ReleaseObject } from '../../../src/lint/index.js';

/** The objects a cdk8s-plus chart renders, with cdk8s-plus's real defaults. */
function plus(build: (chart: Chart) => void): ReleaseObject[] {
  const chart = new Chart(new App(), 'db', { disableResourceNameHashes: true });
  build(chart);
  return chart.toJson().map((object) => ({ release: 'db', object }));
}

const imageRules = (objects: ReleaseObject[]) =>
  ruleFindings(objects).filter((f) => f.rule === 'read-only-root' || f.rule === 'run-as-non-root');
const brief = (objects: ReleaseObject[]) => imageRules(objects).map((f) => `${f.rule} ${f.object} ${f.path}`);

/** A plain Deployment of one container. */
function deployment(container: Record<string, unknown>, pod: Record<string, unknown> = {}): ReleaseObject[] {
  const spec = { containers: [{ name: 'main', ...container }], ...pod };
  const object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app' }, spec: { template: { spec } } };
  return [{ release: 'app', object }];
}

describe('parseImage and knownImage', () => {
  test.each([
    ['postgres', 'postgres', undefined],
    ['postgres:16.4-alpine', 'postgres', '16.4-alpine'],
    ['library/redis:7', 'redis', '7'],
    ['docker.io/library/mysql:8.4', 'mysql', '8.4'],
    ['docker.io/nginx:1.27.3@sha256:0123', 'nginx', '1.27.3'],
    ['index.docker.io/library/mongo:8.0', 'mongo', '8.0'],
    ['mirror.gcr.io/library/postgres:17', 'postgres', '17'],
    ['public.ecr.aws/docker/library/mariadb:11.4', 'mariadb', '11.4'],
  ])('%s is the official %s image', (image, name, tag) => {
    expect(parseImage(image)).toEqual({ officialName: name, tag });
    expect(knownImage(image)?.known.name).toBe(name);
  });

  test.each([
    'bitnami/postgresql:16',
    'bitnami/redis:7.2',
    'docker.io/bitnami/mysql:8.4',
    'quay.io/library/postgres:16',
    'registry.example.com:5000/postgres:16',
    'localhost/redis:7',
    'nginxinc/nginx-unprivileged:1.27',
    'busybox:1.36',
  ])('%s is not judged', (image) => expect(knownImage(image)).toBeUndefined());
});

describe('cdk8s-plus defaults on official images', () => {
  test('cdk8s-plus postgres gets both warnings, naming the object, container, image, setting and fix', () => {
    const objects = plus((chart) => {
      new kplus.Deployment(chart, 'postgres', {
        containers: [{ name: 'postgres', image: 'postgres:16.4', portNumber: 5432 }],
      });
    });
    const found = imageRules(objects);
    expect(found).toEqual([
      {
        level: 'warning',
        rule: 'read-only-root',
        release: 'db',
        object: 'Deployment/db-postgres',
        path: 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
        message:
          'container "postgres" runs postgres:16.4 with readOnlyRootFilesystem: true, but the image writes to ' +
          '/var/lib/postgresql/data and /var/run/postgresql, where no writable volume is mounted, so it fails to start',
        fix:
          'mount an emptyDir at /var/run/postgresql and a ' +
          'PersistentVolumeClaim (or an emptyDir for throwaway data) at ' +
          '/var/lib/postgresql/data, or set securityContext.readOnlyRootFilesystem: false',
      },
      {
        level: 'warning',
        rule: 'run-as-non-root',
        release: 'db',
        object: 'Deployment/db-postgres',
        path: 'spec.template.spec.containers[0].securityContext.runAsNonRoot',
        message:
          'container "postgres" runs postgres:16.4 with runAsNonRoot: true and no runAsUser, but the image starts ' +
          'as root (and drops to postgres itself), so the kubelet ' +
          'refuses to start it (CreateContainerConfigError)',
        fix:
          "set securityContext.runAsUser: 999 (the image's postgres user; fsGroup: 999 on the pod lets it write its " +
          'volumes), or securityContext.runAsNonRoot: false',
      },
    ]);
  });

  test('the same Deployment with emptyDirs at the paths and a uid starts, so nothing is reported', () => {
    const objects = plus((chart) => {
      const d = new kplus.Deployment(chart, 'postgres', { securityContext: { user: 999, group: 999, fsGroup: 999 } });
      const c = d.addContainer({
        name: 'postgres',
        image: 'docker.io/library/postgres:16.4',
        securityContext: { user: 999 },
      });
      c.mount('/var/lib/postgresql/data', kplus.Volume.fromEmptyDir(chart, 'data', 'data'));
      c.mount('/var/run/postgresql', kplus.Volume.fromEmptyDir(chart, 'run', 'run'));
    });
    expect(imageRules(objects)).toEqual([]);
  });

  test('redis, mysql, nginx and mongo with cdk8s-plus defaults; alpine tags name their own uid', () => {
    const objects = plus((chart) => {
      new kplus.Deployment(chart, 'redis', { containers: [{ name: 'redis', image: 'redis:7.2-alpine' }] });
      new kplus.StatefulSet(chart, 'mysql', { containers: [{ name: 'mysql', image: 'mysql:8.4', portNumber: 3306 }] });
      new kplus.Deployment(chart, 'nginx', { containers: [{ name: 'nginx', image: 'nginx:1.27.3', portNumber: 80 }] });
      new kplus.Job(chart, 'mongo', { containers: [{ name: 'mongo', image: 'mongo:8.0' }] });
    });
    const found = imageRules(objects);
    expect(found.map((f) => `${f.rule} ${f.object}`)).toEqual([
      'read-only-root Deployment/db-redis',
      'run-as-non-root Deployment/db-redis',
      'read-only-root StatefulSet/db-mysql',
      'run-as-non-root StatefulSet/db-mysql',
      'read-only-root Deployment/db-nginx',
      'run-as-non-root Deployment/db-nginx',
      'read-only-root Job/db-mongo',
      'run-as-non-root Job/db-mongo',
    ]);
    const fix = (object: string, rule: string) => found.find((f) => f.object === object && f.rule === rule)?.fix;
    expect(fix('Deployment/db-redis', 'run-as-non-root')).toContain('runAsUser: 999');
    expect(fix('Deployment/db-redis', 'read-only-root')).toMatch(/^mount a PersistentVolumeClaim .* at \/data, or set/);
    expect(fix('StatefulSet/db-mysql', 'read-only-root')).toContain(
      'an emptyDir at /var/run/mysqld and /tmp and a PersistentVolumeClaim',
    );
    expect(fix('Deployment/db-nginx', 'run-as-non-root')).toBe(
      'nginx as uid 101 cannot bind port 80: use the image nginxinc/nginx-unprivileged ' +
        '(port 8080) instead, or set securityContext.runAsNonRoot: false',
    );
    expect(fix('Deployment/db-nginx', 'read-only-root')).toContain('an emptyDir at /var/cache/nginx and /var/run');
    expect(fix('Job/db-mongo', 'read-only-root')).toContain(
      'an emptyDir at /tmp and a PersistentVolumeClaim (or an emptyDir ' +
        'for throwaway data) at /data/db and /data/configdb',
    );
    const alpine = plus((chart) => {
      new kplus.Deployment(chart, 'pg', {
        containers: [{ image: 'postgres:16-alpine', securityContext: { readOnlyRootFilesystem: false } }],
      });
    });
    expect(imageRules(alpine).map((f) => f.fix)).toEqual([expect.stringContaining('runAsUser: 70 ')]);
  });

  test('bitnami and other images under the same defaults are not flagged', () => {
    const objects = plus((chart) => {
      new kplus.Deployment(chart, 'bitnami', {
        containers: [{ image: 'bitnami/postgresql:16.4.0' }, { image: 'docker.io/bitnami/redis:7.2' }],
      });
      new kplus.Deployment(chart, 'app', { containers: [{ image: 'ghcr.io/acme/api:1.2.3' }] });
    });
    expect(imageRules(objects)).toEqual([]);
  });
});

describe('read-only-root on plain objects', () => {
  const ro = { readOnlyRootFilesystem: true, runAsNonRoot: false };
  const redis = (mounts: unknown[], volumes: unknown[] = []) =>
    deployment({ image: 'redis:7.2', securityContext: ro, volumeMounts: mounts }, { volumes });

  test('a mount at or above the path of a writable volume covers it', () => {
    expect(brief(redis([{ name: 'd', mountPath: '/data' }], [{ name: 'd', emptyDir: {} }]))).toEqual([]);
    expect(
      brief(redis([{ name: 'd', mountPath: '/' }], [{ name: 'd', persistentVolumeClaim: { claimName: 'x' } }])),
    ).toEqual([]);
    // A StatefulSet's volumeClaimTemplates are not in the pod's volumes.
    expect(brief(redis([{ name: 'from-a-claim-template', mountPath: '/data/' }]))).toEqual([]);
  });

  test('read-only mounts, read-only volume sources and sibling paths do not', () => {
    const flagged = [
      'read-only-root Deployment/app spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
    ];
    expect(brief(redis([{ name: 'd', mountPath: '/data', readOnly: true }], [{ name: 'd', emptyDir: {} }]))).toEqual(
      flagged,
    );
    expect(brief(redis([{ name: 'd', mountPath: '/data' }], [{ name: 'd', configMap: { name: 'c' } }]))).toEqual(
      flagged,
    );
    expect(
      brief(
        redis(
          [{ name: 'd', mountPath: '/data' }],
          [{ name: 'd', persistentVolumeClaim: { claimName: 'x', readOnly: true } }],
        ),
      ),
    ).toEqual(flagged);
    expect(brief(redis([{ name: 'd', mountPath: '/database' }], [{ name: 'd', emptyDir: {} }]))).toEqual(flagged);
    expect(brief(redis([{ name: 'd', mountPath: '/data/x' }], [{ name: 'd', emptyDir: {} }]))).toEqual(flagged);
  });

  test('/run and /var/run are one directory; only the missing paths are named', () => {
    const pg = (mounts: unknown[]) =>
      deployment(
        { image: 'postgres:17', securityContext: ro, volumeMounts: mounts },
        { volumes: [{ name: 'v', emptyDir: {} }] },
      );
    expect(
      imageRules(
        pg([
          { name: 'v', mountPath: '/run' },
          { name: 'v', mountPath: '/var/lib/postgresql/data', subPath: 'pg' },
        ]),
      ),
    ).toEqual([]);
    const missing = imageRules(pg([{ name: 'v', mountPath: '/var/run/postgresql' }]));
    expect(missing.map((f) => f.fix)).toEqual([
      'mount a PersistentVolumeClaim (or an emptyDir for throwaway data) at ' +
        '/var/lib/postgresql/data, or set securityContext.readOnlyRootFilesystem: false',
    ]);
  });

  test('postgres 18 keeps its data under /var/lib/postgresql; PGDATA moves it', () => {
    const pg = (image: string, mountPath: string, env: unknown[] = []) =>
      imageRules(
        deployment(
          {
            image,
            env,
            securityContext: ro,
            volumeMounts: [
              { name: 'v', mountPath },
              { name: 'v', mountPath: '/run/postgresql' },
            ],
          },
          { volumes: [{ name: 'v', emptyDir: {} }] },
        ),
      );
    expect(pg('postgres:18.1', '/var/lib/postgresql/data').map((f) => f.message)).toEqual([
      expect.stringContaining('writes to /var/lib/postgresql, where'),
    ]);
    expect(pg('postgres:18.1', '/var/lib/postgresql')).toEqual([]);
    expect(pg('postgres:latest', '/var/lib/postgresql')).toEqual([]);
    expect(pg('postgres:16', '/pgdata', [{ name: 'PGDATA', value: '/pgdata/16' }])).toEqual([]);
    expect(
      pg('postgres:16', '/var/lib/postgresql/data', [{ name: 'PGDATA', value: '/pgdata/16' }]).map((f) => f.message),
    ).toEqual([expect.stringContaining('writes to /pgdata/16, where')]);
  });

  test('init containers are checked too; readOnlyRootFilesystem unset or false is not', () => {
    const init = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate' },
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'wait', image: 'mysql:8.4', securityContext: { readOnlyRootFilesystem: true } }],
            containers: [{ name: 'run', image: 'mysql:8.4', securityContext: { readOnlyRootFilesystem: false } }],
          },
        },
      },
    };
    expect(brief([{ release: 'm', object: init }])).toEqual([
      'read-only-root Job/migrate spec.template.spec.initContainers[0].securityContext.readOnlyRootFilesystem',
    ]);
    expect(brief(deployment({ image: 'mysql:8.4' }))).toEqual([]);
  });
});

describe('run-as-non-root on plain objects', () => {
  const path = 'spec.template.spec.containers[0].securityContext.runAsNonRoot';

  test("the pod's runAsNonRoot applies unless the container overrides it; the message says where it came from", () => {
    const fromPod = imageRules(deployment({ image: 'mariadb:11.4' }, { securityContext: { runAsNonRoot: true } }));
    expect(fromPod.map((f) => [f.path, f.message])).toEqual([
      [path, expect.stringContaining("runAsNonRoot: true (from the pod's securityContext) and no runAsUser")],
    ]);
    expect(
      brief(
        deployment(
          { image: 'mariadb:11.4', securityContext: { runAsNonRoot: false } },
          { securityContext: { runAsNonRoot: true } },
        ),
      ),
    ).toEqual([]);
  });

  test('a non-zero runAsUser on the pod or the container satisfies it; runAsUser: 0 does not', () => {
    expect(
      brief(
        deployment(
          { image: 'redis:7.2', securityContext: { runAsNonRoot: true } },
          { securityContext: { runAsUser: 999 } },
        ),
      ),
    ).toEqual([]);
    expect(brief(deployment({ image: 'redis:7.2', securityContext: { runAsNonRoot: true, runAsUser: 1001 } }))).toEqual(
      [],
    );
    const zero = imageRules(deployment({ image: 'redis:7.2', securityContext: { runAsNonRoot: true, runAsUser: 0 } }));
    expect(zero.map((f) => f.message)).toEqual([
      expect.stringContaining('runAsNonRoot: true and runAsUser: 0, so the kubelet refuses'),
    ]);
  });

  test('images kc does not know are never judged, whatever their settings', () => {
    const sc = { runAsNonRoot: true, readOnlyRootFilesystem: true };
    expect(brief(deployment({ image: 'bitnami/redis:7.2', securityContext: sc }))).toEqual([]);
    expect(brief(deployment({ image: 'example.com/postgres:16', securityContext: sc }))).toEqual([]);
  });
});
