import fs from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { coalesceValues, convertRevision, kcHook, kcStatus } from '../../../src/helm/convert.js';
import { decodeHelmRelease } from '../../../src/helm/release-secret.js';
import { hooksFor } from '../../../src/kube/hooks.js';
import { isKcError } from '../../../src/errors/index.js';
import { helmData, helmRelease } from '../../helpers/helm-record.js';

const real = fs.readFileSync(new URL('../../fixtures/helm-records/hello.v1.release.b64', import.meta.url), 'utf8');

describe('a Helm revision as a kc revision', () => {
  test('statuses: finished ones map, uninstalled becomes superseded, pending ones are refused', () => {
    expect(kcStatus('deployed')).toBe('deployed');
    expect(kcStatus('superseded')).toBe('superseded');
    expect(kcStatus('failed')).toBe('failed');
    expect(kcStatus('uninstalled')).toBe('superseded');
    for (const s of ['pending-install', 'pending-upgrade', 'pending-rollback', 'uninstalling', 'unknown'] as const) {
      expect(() => kcStatus(s)).toThrow(expect.objectContaining({ code: 'HELM_RELEASE_PENDING' }));
    }
  });

  test("values coalesce as Helm's: maps merge, the rest replaces, null removes a default", () => {
    const defaults = { image: { repository: 'nginx', tag: '1' }, replicas: 1, list: [1, 2], gone: 'x' };
    const user = { image: { tag: '2' }, list: [3], gone: null, extra: true };
    expect(coalesceValues(defaults, user)).toEqual({
      image: { repository: 'nginx', tag: '2' },
      replicas: 1,
      list: [3],
      extra: true,
    });
    expect(defaults.image.tag).toBe('1'); // the defaults are not changed
  });

  test("Helm's hooks become kc hooks: events, weight, delete policy as kc.dev annotations; helm.sh/hook* go", () => {
    const hook = kcHook(
      {
        name: 'm',
        kind: 'Job',
        path: 'p',
        manifest:
          'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: m\n  annotations:\n    helm.sh/hook: pre-install\n' +
          '    helm.sh/hook-weight: "-5"\n    other: kept\n',
        events: ['pre-install', 'post-upgrade'],
        weight: -5,
        deletePolicies: ['hook-succeeded', 'before-hook-creation'],
      },
      'S',
    )!;
    expect(hook.metadata?.annotations).toEqual({
      other: 'kept',
      'kc.dev/hook': 'pre-install,post-upgrade',
      'kc.dev/hook-weight': '-5',
      'kc.dev/hook-delete-policy': 'hook-succeeded,before-hook-creation',
    });
    expect(hooksFor([hook], 'post-upgrade')).toEqual([
      expect.objectContaining({ weight: -5, deletePolicy: ['hook-succeeded', 'before-hook-creation'] }),
    ]);
    const unknown = () =>
      kcHook(
        { name: 'x', kind: 'Pod', path: 'p', manifest: 'kind: Pod', events: ['crash'], weight: 0, deletePolicies: [] },
        'S',
      );
    expect(unknown).toThrow(expect.objectContaining({ code: 'HELM_RECORD_INVALID' }));
  });

  test('the real Helm 4.3.2 record: objects from the manifest, its test hook, defaults as values', () => {
    const c = convertRevision(decodeHelmRelease(real, 'S'), 'S');
    expect(c.objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      'ServiceAccount/hello',
      'Service/hello',
      'Deployment/hello',
    ]);
    expect(
      c.hookObjects.map((o) => [o.kind, (o.metadata?.annotations as Record<string, string>)['kc.dev/hook']]),
    ).toEqual([['Pod', 'test']]);
    expect(c).toMatchObject({
      revision: 1,
      status: 'superseded',
      chart: { name: 'hello', version: '0.1.0', appVersion: '1.16.0' },
    });
    expect(c.values).toHaveProperty('replicaCount', 1);
    expect(c.userValues).toEqual({});
    expect(c.description).toBe('Install complete (Helm)');
    expect(c.notes).toContain('port-forward');
  });

  test('a built revision: user values over defaults, times kept, an object without a kind refused', () => {
    const c = convertRevision(decodeHelmRelease(helmData(helmRelease()), 'S'), 'S');
    expect(c).toMatchObject({
      values: { replicas: 2 },
      userValues: { replicas: 2 },
      updated: '2025-02-02T03:04:05.500Z',
    });
    expect(c.firstDeployed).toBe('2025-01-02T03:04:05.123Z');
    const broken = decodeHelmRelease(
      helmData(helmRelease({ manifest: 'apiVersion: v1\nmetadata:\n  name: x\n' })),
      'S',
    );
    try {
      convertRevision(broken, 'Secret ns/s');
      throw new Error('converted');
    } catch (err) {
      expect(isKcError(err) && err.code).toBe('HELM_RECORD_INVALID');
    }
  });
});
