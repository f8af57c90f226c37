import { describe, expect, test } from '@jest/globals';
import { ARGOCD_LAYER_NOTICE, argocdObjects } from '../../../src/gitops/argocd-objects.js';
import { dependencyWaves } from '../../../src/gitops/names.js';
import type { FluxSource } from '../../../src/gitops/flux-objects.js';

const rel = (name: string, dependsOn: string[] = []) => ({
  name,
  namespace: 'shop-prod',
  path: `./${name}`,
  dependsOn,
});
const source: FluxSource = {
  project: 'shop',
  env: 'prod',
  repository: 'oci://127.0.0.1:5000/fleet/shop',
  tag: 'prod',
  releases: [rel('db'), rel('cache'), rel('api', ['db', 'cache']), rel('web', ['api']), rel('worker', ['db'])],
};

type Meta = { name: string; namespace: string; annotations?: Record<string, string>; labels: Record<string, string> };
type App = { kind: string; metadata: Meta & { finalizers?: string[] }; spec: any };

describe('argocdObjects', () => {
  test('one Application per release, sync waves from the dependencies (dependencies first)', () => {
    const apps = argocdObjects(source) as App[];
    expect(apps.map((a) => [a.metadata.name, a.metadata.annotations?.['argocd.argoproj.io/sync-wave']])).toEqual([
      ['shop-prod-db', '0'],
      ['shop-prod-cache', '0'],
      ['shop-prod-api', '1'],
      ['shop-prod-web', '2'],
      ['shop-prod-worker', '1'],
    ]);
    const web = apps[3];
    expect(web).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' });
    expect(web.metadata.namespace).toBe('argocd');
    expect(web.metadata.labels['kc.dev/release']).toBe('web');
    expect(web.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(web.spec).toEqual({
      project: 'default',
      source: { repoURL: 'oci://127.0.0.1:5000/fleet/shop', targetRevision: 'prod', path: 'web' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'shop-prod' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
      },
    });
  });

  test('a known digest is the target revision; namespace, server and project can be chosen', () => {
    const digest = 'sha256:' + 'b'.repeat(64);
    const settings = { namespace: 'gitops', server: 'https://10.0.0.1:6443', project: 'shop' };
    const [db] = argocdObjects({ ...source, digest }, settings) as App[];
    expect(db.spec.source.targetRevision).toBe(digest);
    expect(db.spec.destination.server).toBe('https://10.0.0.1:6443');
    expect(db.spec.project).toBe('shop');
    expect(db.metadata.namespace).toBe('gitops');
  });

  test('an app of apps comes last and points at the Git folder holding the others', () => {
    const appOfApps = { repoURL: 'https://git.example/fleet.git', path: 'clusters/prod' };
    const apps = argocdObjects(source, { appOfApps }) as App[];
    expect(apps).toHaveLength(6);
    const parent = apps[5];
    expect(parent.metadata.name).toBe('shop-prod');
    expect(parent.metadata.annotations).toBeUndefined();
    expect(parent.spec.source).toEqual({ ...appOfApps, targetRevision: 'HEAD' });
    expect(parent.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
  });

  test('waves ignore dependencies outside the environment and never loop on a hand-made cycle', () => {
    expect([...dependencyWaves([rel('web', ['db'])])]).toEqual([['web', 0]]);
    const waves = dependencyWaves([rel('a', ['b']), rel('b', ['a'])]);
    expect(waves.size).toBe(2);
  });

  test("the notice names Flux's layer media type and the repo-server setting", () => {
    expect(ARGOCD_LAYER_NOTICE).toContain('ARGOCD_REPO_SERVER_OCI_LAYER_MEDIA_TYPES');
    expect(ARGOCD_LAYER_NOTICE).toContain('application/vnd.cncf.flux.content.v1.tar+gzip');
  });
});
