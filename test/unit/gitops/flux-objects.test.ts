import { describe, expect, test } from '@jest/globals';
import { fluxNames, fluxObjects, type FluxSource } from '../../../src/gitops/flux-objects.js';
import type { PublishedEnvironment } from '../../../src/gitops/types.js';

const published: PublishedEnvironment = {
  project: 'shop',
  env: 'prod',
  repository: 'oci://127.0.0.1:5000/fleet/shop',
  tag: 'prod',
  digest: 'sha256:' + 'a'.repeat(64),
  signed: false,
  releases: [
    { name: 'db', namespace: 'shop-prod', path: './db', dependsOn: [], objects: [] },
    { name: 'cache', namespace: 'shop-prod', path: './cache', dependsOn: [], objects: [] },
    { name: 'web', namespace: 'shop-prod', path: './web', dependsOn: ['db', 'cache'], objects: [] },
  ],
};

type Meta = { name: string; namespace: string; labels: Record<string, string> };
type Obj = { kind: string; metadata: Meta; spec: any; data?: any };
const kinds = (objects: unknown[]) => (objects as Obj[]).map((o) => `${o.kind}/${o.metadata.name}`);
/** The Flux object (not the Namespace, which may share its name) called `name`. */
const byName = (objects: unknown[], name: string) =>
  (objects as Obj[]).find((o) => o.kind !== 'Namespace' && o.metadata.name === name)!;

describe('fluxObjects', () => {
  test("one OCIRepository pinned to the digest and one Kustomization per release, in the releases' order", () => {
    const objects = fluxObjects(published);
    expect(kinds(objects)).toEqual([
      'Namespace/shop-prod',
      'OCIRepository/shop-prod',
      'Kustomization/shop-prod-db',
      'Kustomization/shop-prod-cache',
      'Kustomization/shop-prod-web',
    ]);
    const source = byName(objects, 'shop-prod');
    expect(source).toMatchObject({ apiVersion: 'source.toolkit.fluxcd.io/v1', metadata: { namespace: 'flux-system' } });
    const url = 'oci://127.0.0.1:5000/fleet/shop';
    expect(source.spec).toEqual({ url, interval: '1m', ref: { digest: published.digest } });
    const labels = { 'app.kubernetes.io/managed-by': 'kc', 'kc.dev/project': 'shop', 'kc.dev/env': 'prod' };
    expect(source.metadata.labels).toEqual(labels);
    const web = byName(objects, 'shop-prod-web');
    expect(web).toMatchObject({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', metadata: { namespace: 'flux-system' } });
    expect(web.spec).toEqual({
      interval: '1m',
      path: './web',
      prune: true,
      wait: true,
      timeout: '5m',
      targetNamespace: 'shop-prod',
      sourceRef: { kind: 'OCIRepository', name: 'shop-prod' },
      dependsOn: [{ name: 'shop-prod-db' }, { name: 'shop-prod-cache' }],
    });
    expect(web.metadata.labels['kc.dev/release']).toBe('web');
    // No dependency: no dependsOn; no keys: no verify; no sops: no decryption.
    expect(byName(objects, 'shop-prod-db').spec.dependsOn).toBeUndefined();
    expect(source.spec.verify).toBeUndefined();
    expect(web.spec.decryption).toBeUndefined();
    expect(source.spec.insecure).toBeUndefined();
  });

  test("without a digest the source follows the tag (the environment's name)", () => {
    const { digest: _digest, ...rest } = published;
    const source = byName(fluxObjects({ ...rest } as FluxSource), 'shop-prod');
    expect(source.spec.ref).toEqual({ tag: 'prod' });
    const empty = fluxObjects({ ...published, digest: '' });
    expect(byName(empty, 'shop-prod').spec.ref).toEqual({ tag: 'prod' });
  });

  test('gitops settings: interval, insecure, namespace, timeout; sops turns decryption on everywhere', () => {
    const objects = fluxObjects(published, {
      gitops: { interval: '30s', insecure: true, namespace: 'gitops', sops: { age: ['age1xyz'] } },
      timeout: '2m',
    });
    const flux = (objects as Obj[]).filter((o) => o.kind !== 'Namespace');
    expect(flux.every((o) => o.metadata.namespace === 'gitops')).toBe(true);
    const source = byName(objects, 'shop-prod');
    expect(source.spec).toMatchObject({ interval: '30s', insecure: true });
    for (const r of ['db', 'cache', 'web']) {
      const k = byName(objects, `shop-prod-${r}`);
      expect(k.spec).toMatchObject({ interval: '30s', timeout: '2m' });
      expect(k.spec.decryption).toEqual({ provider: 'sops', secretRef: { name: 'shop-prod-sops-age' } });
    }
  });

  test('public keys: a Secret of `.pub` entries first, and the source verifies with cosign against it', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n';
    const publicKeys = [
      { name: 'cosign', pem },
      { name: 'team-b', pem: pem + ' ' },
    ];
    const objects = fluxObjects(published, { publicKeys });
    const first = ['Namespace/shop-prod', 'Secret/shop-prod-cosign', 'OCIRepository/shop-prod'];
    expect(kinds(objects).slice(0, 3)).toEqual(first);
    const secret = (objects as Obj[])[1];
    expect(Object.keys(secret.data)).toEqual(['cosign.pub', 'team-b.pub']);
    expect(Buffer.from(secret.data['cosign.pub'], 'base64').toString()).toBe(pem);
    expect(secret.metadata.namespace).toBe('flux-system');
    const verify = { provider: 'cosign', secretRef: { name: 'shop-prod-cosign' } };
    expect(byName(objects, 'shop-prod').spec.verify).toEqual(verify);
    expect(() =>
      fluxObjects(published, {
        publicKeys: [
          { name: 'a', pem },
          { name: 'a', pem },
        ],
      }),
    ).toThrow(/unique/);
  });

  test('targetNamespace only when every object of the release is in the environment\'s namespace', () => {
    const obj = (namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: 'c', namespace });
    const releases = [
      { ...published.releases[0], objects: [obj('shop-prod'), { apiVersion: 'v1', kind: 'Namespace', name: 'x' }] },
      { ...published.releases[1], objects: [obj('shop-prod'), obj('monitoring')] },
    ];
    const objects = fluxObjects({ ...published, releases });
    expect(byName(objects, 'shop-prod-db').spec.targetNamespace).toBe('shop-prod');
    expect(byName(objects, 'shop-prod-cache').spec.targetNamespace).toBeUndefined();
    expect(kinds(objects).filter((k) => k.startsWith('Namespace/'))).toEqual(['Namespace/shop-prod']);
  });

  test('a dependency outside the published releases (an --only selection) is left out of dependsOn', () => {
    const only = { ...published, releases: [published.releases[2]] };
    expect(byName(fluxObjects(only), 'shop-prod-web').spec.dependsOn).toBeUndefined();
  });

  test('names are deterministic, valid, and distinct when the inputs are not names already', () => {
    const a = fluxNames('My_Shop', 'prod_eu');
    expect(a.source).toMatch(/^my-shop-prod-eu-[0-9a-f]{8}$/);
    expect(fluxNames('My_Shop', 'prod_eu').source).toBe(a.source);
    expect(fluxNames('my-shop', 'prod-eu').source).toBe('my-shop-prod-eu');
    expect(fluxNames('my_shop', 'prod-eu').source).not.toBe(a.source);
    const long = fluxNames('p'.repeat(40), 'e'.repeat(20)).kustomization('r'.repeat(20));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    const objects = fluxObjects({ ...published, project: 'My Shop' });
    const labels = byName(objects, fluxNames('My Shop', 'prod').source).metadata.labels;
    expect(labels['kc.dev/project']).toMatch(/^My-Shop-[0-9a-f]{8}$/);
  });
});
