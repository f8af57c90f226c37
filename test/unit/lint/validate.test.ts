import { describe, expect, test } from '@jest/globals';
import { SchemaChecker, bundledKubeSchemas, validateAgainst, type RuleFinding } from '../../../src/lint/index.js';

const set = bundledKubeSchemas('1.36');
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';

function deployment(spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27.3', ...container }] } },
      ...spec,
    },
  };
}

describe('validateAgainst (Kubernetes 1.36 OpenAPI v3)', () => {
  test('a well-formed Deployment has no issues', () => {
    expect(validateAgainst(set, DEPLOYMENT, deployment())).toEqual([]);
  });

  test.each([
    ['a misspelled field, with a suggestion', deployment({ replicasss: 2 }), 'spec.replicasss', 'unknown field', /did you mean "replicas"/],
    ['a string where an integer belongs', deployment({ replicas: '3' }), 'spec.replicas', 'expected integer, got string ("3")', /integer/],
    ['a missing required field', deployment({}, { name: undefined }), 'spec.template.spec.containers[0].name', 'required field is missing', /set spec\.template\.spec\.containers\[0\]\.name/],
    ['a value outside an enum', deployment({}, { imagePullPolicy: 'Sometimes' }), 'spec.template.spec.containers[0].imagePullPolicy', '"Sometimes" is not one of "Always", "IfNotPresent", "Never"', /listed/],
    ['int-or-string given a boolean', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: true } } }), 'spec.strategy.rollingUpdate.maxSurge', 'expected an integer or a string, got boolean', /number/],
    ['a malformed quantity', deployment({}, { resources: { requests: { cpu: 'lots' } } }), 'spec.template.spec.containers[0].resources.requests.cpu', '"lots" is not a Kubernetes quantity', /128Mi/],
    ['a non-string label value', deployment({ template: { metadata: { labels: { app: 1 } }, spec: { containers: [{ name: 'a' }] } } }), 'spec.template.metadata.labels.app', 'expected string, got integer', /string/],
    ['a duplicate key in a list-map', deployment({}, { env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }), 'spec.template.spec.containers[0].env[1]', 'entry is the same name as spec.template.spec.containers[0].env[0]', /remove or rename/],
    ['a dotted map key is quoted in the path', deployment({ template: { metadata: { annotations: { 'kc.dev/x': false } }, spec: { containers: [{ name: 'a' }] } } }), 'spec.template.metadata.annotations["kc.dev/x"]', 'expected string, got boolean', /string/],
  ])('%s', (_name, object, path, problem, fix) => {
    const issues = validateAgainst(set, DEPLOYMENT, object);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path, problem });
    expect(issues[0].fix).toMatch(fix);
  });

  test('numbers are valid quantities; null means unset; preserve-unknown-fields takes anything', () => {
    expect(validateAgainst(set, DEPLOYMENT, deployment({ replicas: null }, { resources: { limits: { cpu: 1 } } }))).toEqual([]);
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'xs.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { plural: 'xs', kind: 'X' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, anyOf: [{}], $schema: 'x' } } }],
      },
    };
    expect(validateAgainst(set, 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition', crd)).toEqual([]);
  });
});

describe('SchemaChecker', () => {
  const checker = new SchemaChecker(set);
  const check = (object: Record<string, unknown>): RuleFinding[] => checker.check({ release: 'r', object });

  test('names the object, the field and the fix', () => {
    expect(check(deployment({ replicasss: 2 }))).toEqual([
      { release: 'r', object: 'Deployment/web', level: 'error', rule: 'schema', path: 'spec.replicasss', message: 'unknown field', fix: 'did you mean "replicas"? Otherwise remove the field' },
    ]);
  });

  test('an API version Kubernetes no longer serves is an error naming the served one', () => {
    const [f] = check({ apiVersion: 'autoscaling/v2beta2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' } });
    expect(f).toMatchObject({ level: 'error', rule: 'api-version', message: 'autoscaling/v2beta2 HorizontalPodAutoscaler is not served by Kubernetes v1.36.3' });
    expect(f.fix).toBe('use apiVersion autoscaling/v1 or autoscaling/v2');
  });

  test('an unknown kind in a served group-version is an error; a custom resource is only noted', () => {
    expect(check({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } })[0]).toMatchObject({ level: 'error', path: 'kind' });
    expect(check({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } })[0]).toMatchObject({ level: 'info', rule: 'api-version' });
  });

  test('metadata.name is required', () => {
    expect(check({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })[0]).toMatchObject({ level: 'error', path: 'metadata.name' });
  });
});
