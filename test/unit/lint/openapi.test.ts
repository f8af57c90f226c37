import { describe, expect, test } from '@jest/globals';
import { isKcError } from '../../../src/errors/index.js';
import { bundledKubeSchemas, bundledKubeVersions, compactOpenApi, groupVersionPaths, kindIndex } from '../../../src/lint/index.js';

describe('compactOpenApi', () => {
  const doc = {
    components: {
      schemas: {
        'io.k8s.api.apps.v1.Deployment': {
          description: 'Deployment enables declarative updates',
          type: 'object',
          properties: {
            spec: { description: 'Spec', default: {}, allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }] },
            $schema: { type: 'string', description: 'a property that looks like a keyword' },
          },
          'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
        },
        'io.k8s.api.apps.v1.DeploymentSpec': {
          type: 'object',
          required: ['selector'],
          properties: { replicas: { type: 'integer', format: 'int32' }, port: { format: 'int-or-string', 'x-kubernetes-int-or-string': true }, env: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' } },
        },
      },
    },
  };

  test('keeps what validation reads, drops descriptions and defaults, and unwraps one-element allOf refs', () => {
    const set = compactOpenApi({ 'apis/apps/v1': doc }, 'v1.99.0');
    expect(set.groupVersions).toEqual(['apps/v1']);
    expect(set.schemas['io.k8s.api.apps.v1.Deployment']).toEqual({
      type: 'object',
      properties: { $schema: { type: 'string' }, spec: { $ref: 'io.k8s.api.apps.v1.DeploymentSpec' } },
      'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
    });
    expect(set.schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties).toEqual({
      env: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
      port: { format: 'int-or-string', 'x-kubernetes-int-or-string': true },
      replicas: { type: 'integer' },
    });
    expect(kindIndex(set).get('apps/v1/Deployment')).toBe('io.k8s.api.apps.v1.Deployment');
  });

  test('groupVersionPaths keeps group-version documents only', () => {
    const index = { paths: { api: {}, 'api/v1': {}, apis: {}, 'apis/apps': {}, 'apis/apps/v1': {}, '.well-known/openid-configuration': {}, version: {} } };
    expect(groupVersionPaths(index)).toEqual(['api/v1', 'apis/apps/v1']);
  });
});

describe('shipped schemas', () => {
  test('Kubernetes 1.36 is shipped, from the real API server, covering the common groups', () => {
    expect(bundledKubeVersions()).toContain('1.36');
    const set = bundledKubeSchemas('v1.36.3');
    expect(set.kubernetesVersion).toMatch(/^v1\.36\./);
    for (const gv of ['v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'autoscaling/v2', 'policy/v1', 'rbac.authorization.k8s.io/v1', 'storage.k8s.io/v1', 'apiextensions.k8s.io/v1', 'coordination.k8s.io/v1']) {
      expect(set.groupVersions).toContain(gv);
    }
    expect(bundledKubeSchemas('1.36')).toBe(set);
    expect(bundledKubeSchemas()).toBe(set);
  });

  test('an unknown version is KUBE_VERSION_UNKNOWN listing the available ones', () => {
    let caught: unknown;
    try {
      bundledKubeSchemas('1.20');
    } catch (err) {
      caught = err;
    }
    expect(isKcError(caught) && caught.code).toBe('KUBE_VERSION_UNKNOWN');
    expect((caught as Error).message).toBe('kc has no schemas for Kubernetes 1.20');
    expect((caught as { hint: string }).hint).toContain('available: 1.36');
  });
});
