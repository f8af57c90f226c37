// helm template output read as kc objects: documents, Lists, and Helm hooks given kc's hook annotations.
import { describe, expect, test } from '@jest/globals';
import { parseHelmManifest, withKcHook } from '../../../src/helm/helm-manifest.js';

const output = `---
# Source: hello/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: hello
---
# Source: hello/templates/empty.yaml
---
# Source: hello/templates/tests/test-connection.yaml
apiVersion: v1
kind: Pod
metadata:
  name: hello-test
  annotations:
    "helm.sh/hook": test-success
---
# Source: hello/templates/list.yaml
apiVersion: v1
kind: List
items:
  - { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }
  - { apiVersion: v1, kind: ConfigMap, metadata: { name: b } }
`;

describe('parseHelmManifest', () => {
  test('every object in order, empty documents skipped, List items flattened', () => {
    const objects = parseHelmManifest(output, './hello');
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      'Service/hello',
      'Pod/hello-test',
      'ConfigMap/a',
      'ConfigMap/b',
    ]);
  });

  test('a document that is not an object names the template it came from', () => {
    const bad = '---\n# Source: hello/templates/notes.yaml\njust: text\n';
    expect(() => parseHelmManifest(bad, './hello')).toThrow(
      expect.objectContaining({
        code: 'CHART_INVALID',
        message: expect.stringContaining('hello/templates/notes.yaml'),
      }),
    );
  });
});

describe('withKcHook', () => {
  const hook = (annotations: Record<string, string>) =>
    withKcHook({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', annotations } }).metadata?.annotations as
      Record<string, string> | undefined;

  test('Helm events, weight and delete policy become kc hook annotations (Helm annotations kept)', () => {
    expect(
      hook({
        'helm.sh/hook': 'pre-upgrade, pre-install',
        'helm.sh/hook-weight': '-5',
        'helm.sh/hook-delete-policy': 'hook-succeeded, before-hook-creation',
      }),
    ).toEqual({
      'helm.sh/hook': 'pre-upgrade, pre-install',
      'helm.sh/hook-weight': '-5',
      'helm.sh/hook-delete-policy': 'hook-succeeded, before-hook-creation',
      'kc.dev/hook': 'pre-install,pre-upgrade',
      'kc.dev/hook-weight': '-5',
      'kc.dev/hook-delete-policy': 'hook-succeeded,before-hook-creation',
    });
  });

  test('test-success is a test hook; events Helm 3/4 never runs leave an ordinary object', () => {
    expect(hook({ 'helm.sh/hook': 'test-success' })?.['kc.dev/hook']).toBe('test');
    expect(hook({ 'helm.sh/hook': 'crd-install' })?.['kc.dev/hook']).toBeUndefined();
    expect(hook({})?.['kc.dev/hook']).toBeUndefined();
  });
});
