import { describe, expect, test } from '@jest/globals';
import { formatFinding, imageTagProblem, mergeFindings, ruleFindings, type LintFinding, type ReleaseObject } from '../../../src/lint/index.js';

const labels = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' };
const goodContainer = {
  name: 'web',
  image: 'nginx:1.27.3',
  resources: { requests: { cpu: '100m' } },
  livenessProbe: { httpGet: { path: '/', port: 'http' } },
  readinessProbe: { httpGet: { path: '/', port: 'http' } },
};

function deployment(name: string, container: Record<string, unknown> = {}, podLabels: Record<string, string> = labels): ReleaseObject['object'] {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'ns' },
    spec: { selector: { matchLabels: podLabels }, template: { metadata: { labels: podLabels }, spec: { containers: [{ ...goodContainer, ...container }] } } },
  };
}
function service(name: string, selector: Record<string, string>, namespace = 'ns'): ReleaseObject['object'] {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports: [{ port: 80 }] } };
}
const inRelease = (...objects: ReleaseObject['object'][]): ReleaseObject[] => objects.map((object) => ({ release: 'web', object }));
const rules = (objects: ReleaseObject[]) => ruleFindings(objects).map((f) => `${f.level} ${f.rule} ${f.object} ${f.path}`);

describe('imageTagProblem', () => {
  test.each([
    ['nginx', 'image "nginx" has no tag, so it means :latest'],
    ['nginx:latest', 'image "nginx:latest" uses the tag "latest"'],
    ['registry:5000/team/app', 'image "registry:5000/team/app" has no tag, so it means :latest'],
    ['registry:5000/team/app:2.1', undefined],
    ['nginx:1.27.3', undefined],
    ['nginx@sha256:0123abcd', undefined],
  ])('%s', (image, problem) => expect(imageTagProblem(image)).toBe(problem));
});

describe('ruleFindings', () => {
  test('a release that follows every rule has no findings', () => {
    expect(rules(inRelease(deployment('web'), service('web', labels)))).toEqual([]);
  });

  test('latest tag, missing requests and missing probes are warnings on the container', () => {
    const bare = deployment('web', { image: 'nginx:latest', resources: undefined, livenessProbe: undefined, readinessProbe: undefined });
    expect(rules(inRelease(bare))).toEqual([
      'warning image-tag Deployment/web spec.template.spec.containers[0].image',
      'warning resources Deployment/web spec.template.spec.containers[0].resources.requests',
      'warning probes Deployment/web spec.template.spec.containers[0]',
    ]);
    const probes = ruleFindings(inRelease(deployment('web', { readinessProbe: undefined })));
    expect(probes[0].message).toBe('container "web" has no readinessProbe');
  });

  test('Jobs, CronJobs and run-once Pods need no probes, but their images and requests are checked', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } };
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ ...goodContainer, livenessProbe: undefined }] } } } } } };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { restartPolicy: 'OnFailure', containers: [{ ...goodContainer, readinessProbe: undefined }] } };
    expect(rules(inRelease(job, cron, pod))).toEqual([
      'warning image-tag Job/j spec.template.spec.containers[0].image',
      'warning resources Job/j spec.template.spec.containers[0].resources.requests',
    ]);
  });

  test('a Service whose selector matches no pod template is an error naming the closest one', () => {
    const found = ruleFindings(inRelease(deployment('web'), service('web', { ...labels, tier: 'front' })));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: 'error', rule: 'service-selector', object: 'Service/web', path: 'spec.selector' });
    expect(found[0].message).toContain('the closest, Deployment/web, lacks tier=front');
  });

  test('a Service may select pods of another release in its namespace, not in another namespace', () => {
    const other: ReleaseObject = { release: 'db', object: deployment('db', {}, { app: 'db' }) };
    expect(rules([...inRelease(service('web', { app: 'db' })), other])).toEqual([]);
    expect(rules([...inRelease(service('web', { app: 'db' }, 'elsewhere')), other])).toEqual(['error service-selector Service/web spec.selector']);
  });

  test('Services without a selector and ExternalName Services are not checked', () => {
    const external = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { type: 'ExternalName', externalName: 'x.example.com', selector: { a: 'b' } } };
    expect(rules(inRelease(service('manual', {}), external))).toEqual([]);
  });

  test('the same kind, namespace and name twice is an error, across releases too', () => {
    const twice = ruleFindings([...inRelease(deployment('web'), deployment('web')), { release: 'other', object: deployment('web') }]);
    expect(twice.map((f) => f.message)).toEqual([
      'Deployment/web in namespace ns is defined twice in release web; one would overwrite the other',
      'Deployment/web in namespace ns is defined in releases web and other; one would overwrite the other',
    ]);
    // Different namespaces or API groups are different objects.
    const moved = deployment('web');
    moved.metadata = { name: 'web', namespace: 'other' };
    expect(rules(inRelease(deployment('web'), moved)).filter((r) => r.includes('duplicate'))).toEqual([]);
  });
});

describe('findings', () => {
  const base: LintFinding = { level: 'warning', rule: 'probes', envs: ['dev'], release: 'web', object: 'Deployment/web', path: 'spec', message: 'm', fix: 'f' };

  test('identical findings of several environments merge; errors sort first', () => {
    const merged = mergeFindings([base, { ...base, envs: ['prod'] }, { ...base, level: 'error', rule: 'schema', envs: ['prod'] }]);
    expect(merged.map((f) => [f.level, f.envs])).toEqual([['error', ['prod']], ['warning', ['dev', 'prod']]]);
  });

  test('a finding is one line naming level, rule, environments, object, path, problem and fix', () => {
    expect(formatFinding(base)).toBe('warning probes [dev] Deployment/web spec: m (fix: f)');
    expect(formatFinding({ level: 'error', rule: 'typescript', envs: [], file: 'app.ts:3:7', message: 'TS2322: x', fix: 'y' })).toBe('error typescript app.ts:3:7: TS2322: x (fix: y)');
  });
});
