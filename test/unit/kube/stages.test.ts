// applyStages: which kinds wait for each other. Requests of one stage go out in install order and are answered
// together; a stage ends after each kind a later kind may need to be admitted.
import { describe, expect, test } from '@jest/globals';
import { applyStages } from '../../../src/kube/stages.js';
import type { KubeObject } from '../../../src/kube/types.js';

const obj = (kind: string, name = kind.toLowerCase()): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name } });
const kindsOf = (stages: KubeObject[][]) => stages.map((s) => s.map((o) => o.kind));

describe('applyStages', () => {
  test.each([
    [
      'Secrets, ConfigMaps, Services and workloads share one stage',
      ['Secret', 'ConfigMap', 'Service', 'Deployment'],
      [['Secret', 'ConfigMap', 'Service', 'Deployment']],
    ],
    [
      'CRDs, then Namespaces, each before everything else',
      ['ConfigMap', 'Namespace', 'CustomResourceDefinition'],
      [['CustomResourceDefinition'], ['Namespace'], ['ConfigMap']],
    ],
    [
      "a stage ends after a Pod's prerequisites",
      ['Deployment', 'ServiceAccount', 'Secret', 'LimitRange', 'PriorityClass'],
      [['PriorityClass'], ['LimitRange'], ['ServiceAccount'], ['Secret', 'Deployment']],
    ],
    [
      'kinds before a prerequisite share its stage',
      ['Secret', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolumeClaim', 'StorageClass'],
      [['Secret', 'StorageClass'], ['PersistentVolumeClaim', 'ClusterRole'], ['ClusterRoleBinding']],
    ],
    ['a binding waits for its Role', ['RoleBinding', 'Role', 'Service'], [['Role'], ['RoleBinding', 'Service']]],
    [
      'a default IngressClass lands before Ingresses',
      ['Ingress', 'IngressClass', 'Deployment'],
      [['Deployment', 'IngressClass'], ['Ingress']],
    ],
    [
      'webhook configurations and APIServices alone',
      ['ValidatingWebhookConfiguration', 'APIService', 'Deployment', 'MutatingWebhookConfiguration'],
      [['Deployment'], ['APIService'], ['MutatingWebhookConfiguration'], ['ValidatingWebhookConfiguration']],
    ],
    [
      'unknown kinds last, in a stage of their own',
      ['Certificate', 'Service', 'Issuer'],
      [['Service'], ['Certificate', 'Issuer']],
    ],
  ])('%s', (_, kinds, expected) => {
    expect(kindsOf(applyStages(kinds.map((k) => obj(k))))).toEqual(expected);
  });

  test('objects of a kind keep their order; nothing is lost or repeated', () => {
    const objects = ['b', 'a', 'c'].flatMap((n) => [obj('ConfigMap', n), obj('Secret', n), obj('Role', n)]);
    const stages = applyStages(objects);
    expect(stages.map((s) => s.map((o) => `${o.kind}/${o.metadata?.name}`))).toEqual([
      ['Secret/b', 'Secret/a', 'Secret/c', 'ConfigMap/b', 'ConfigMap/a', 'ConfigMap/c', 'Role/b', 'Role/a', 'Role/c'],
    ]);
    expect(stages.flat()).toHaveLength(objects.length);
  });

  test('no objects, no stages', () => {
    expect(applyStages([])).toEqual([]);
  });
});
