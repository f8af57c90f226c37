// The files of a published environment: a folder per release, objects placed as kc deploy places them, in apply
// order, Secrets encrypted or refused by name, and a tar.gz that depends only on the files.
import zlib from 'node:zlib';
import { describe, expect, test } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { isKcError } from '../../../src/errors/index.js';
import {
  layoutArchive,
  placeForPublish,
  publishLayout,
  type LayoutRelease,
} from '../../../src/gitops/publish-layout.js';
import type { KubeObject } from '../../../src/synth/index.js';

const obj = (apiVersion: string, kind: string, name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, ...((extra.metadata as object) ?? {}) },
  ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'metadata')),
});

const secret = (name: string) => obj('v1', 'Secret', name, { data: { password: 'c2VjcmV0' }, type: 'Opaque' });

const releases = (): LayoutRelease[] => [
  {
    name: 'db',
    dependsOn: [],
    objects: [
      obj('apps/v1', 'Deployment', 'db'),
      obj('v1', 'Service', 'db'),
      obj('v1', 'ConfigMap', 'db-conf', { data: { a: '1' } }),
      obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'db-reader', { metadata: { namespace: 'stray' } }),
    ],
  },
  {
    name: 'web',
    dependsOn: ['db', 'not-in-app'],
    objects: [
      obj('v1', 'Service', 'web', { metadata: { namespace: 'elsewhere' } }),
      obj('batch/v1', 'Job', 'web-test', { metadata: { annotations: { 'kc.dev/hook': 'test' } } }),
    ],
  },
];

/** Each file's path and its documents as objects. */
function documents(files: { path: string; data: Buffer; directory?: boolean }[]): Record<string, KubeObject[]> {
  return Object.fromEntries(
    files.map((f) => [f.path, parseAllDocuments(f.data.toString()).map((d) => d.toJS() as KubeObject)]),
  );
}

/** The entries of a plain tar: name, mode, uid, gid, mtime, and the bytes. */
function tarEntries(
  tar: Buffer,
): { name: string; mode: number; uid: number; gid: number; mtime: number; size: number }[] {
  const out = [];
  for (let off = 0; off + 512 <= tar.length;) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number) =>
      h
        .subarray(a, a + n)
        .toString('latin1')
        .replace(/\0.*$/s, '');
    const num = (a: number, n: number) => parseInt(str(a, n).trim() || '0', 8);
    const size = num(124, 12);
    out.push({ name: str(0, 100), mode: num(100, 8), uid: num(108, 8), gid: num(116, 8), mtime: num(136, 12), size });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

describe('publishLayout', () => {
  test('one objects.yaml per release, in the order given, dependsOn limited to releases of the app', async () => {
    const layout = await publishLayout(releases(), { namespace: 'prod' });
    expect(layout.files.map((f) => f.path)).toEqual(['db/', 'db/objects.yaml', 'web/', 'web/objects.yaml']);
    expect(layout.files.map((f) => Boolean(f.directory))).toEqual([true, false, true, false]);
    expect(
      layout.releases.map(({ name, path, namespace, dependsOn }) => ({ name, path, namespace, dependsOn })),
    ).toEqual([
      { name: 'db', path: './db', namespace: 'prod', dependsOn: [] },
      { name: 'web', path: './web', namespace: 'prod', dependsOn: ['db'] },
    ]);
  });

  test("objects in kc's apply order; namespaced ones in the environment's namespace unless they name one", async () => {
    const layout = await publishLayout(releases(), { namespace: 'prod' });
    const docs = documents(layout.files);
    expect(docs['db/objects.yaml'].map((o) => `${o.kind}/${o.metadata?.name} ${o.metadata?.namespace ?? '-'}`)).toEqual(
      ['ConfigMap/db-conf prod', 'ClusterRole/db-reader -', 'Service/db prod', 'Deployment/db prod'],
    );
    expect(docs['web/objects.yaml'].map((o) => o.metadata?.namespace)).toEqual(['elsewhere']);
    expect(layout.releases[0].objects[1]).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      name: 'db-reader',
    });
    expect(layout.releases[0].objects[0]).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'db-conf',
      namespace: 'prod',
    });
  });

  test('every object carries the release annotation kc deploy writes (namespace/release)', async () => {
    const docs = documents((await publishLayout(releases(), { namespace: 'prod' })).files);
    const annotation = (o: KubeObject) => (o.metadata?.annotations as Record<string, string>)['kc.dev/release'];
    expect(docs['db/objects.yaml'].map(annotation)).toEqual(['prod/db', 'prod/db', 'prod/db', 'prod/db']);
    expect(docs['web/objects.yaml'].map(annotation)).toEqual(['prod/web']);
  });

  test('test hooks are left out (kc test runs them); lifecycle hooks are refused, named', async () => {
    const layout = await publishLayout(releases(), { namespace: 'prod' });
    expect(layout.releases[1].objects.map((o) => o.name)).toEqual(['web']);
    const hooked = releases();
    hooked[1].objects.push(
      obj('batch/v1', 'Job', 'migrate', { metadata: { annotations: { 'kc.dev/hook': 'pre-upgrade,test' } } }),
    );
    const err = await publishLayout(hooked, { namespace: 'prod' }).catch((e: unknown) => e);
    expect(isKcError(err) && err.code).toBe('HOOKS_UNSUPPORTED');
    expect((err as Error).message).toContain('web/Job/migrate (pre-upgrade)');
  });

  test('custom resources of a cluster-scoped CRD in the render lose their namespace, others keep it', async () => {
    const crd = (kind: string, scope: string) =>
      obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', `${kind.toLowerCase()}s.example.com`, {
        spec: { group: 'example.com', scope, names: { kind } },
      });
    const layout = await publishLayout(
      [
        { name: 'crds', dependsOn: [], objects: [crd('Tenant', 'Cluster'), crd('Widget', 'Namespaced')] },
        {
          name: 'use',
          dependsOn: ['crds'],
          objects: [
            obj('example.com/v1', 'Tenant', 't', { metadata: { namespace: 'x' } }),
            obj('example.com/v1', 'Widget', 'w'),
          ],
        },
      ],
      { namespace: 'prod' },
    );
    const docs = documents(layout.files);
    expect(docs['use/objects.yaml'].map((o) => `${o.kind} ${o.metadata?.namespace ?? '-'}`)).toEqual([
      'Tenant -',
      'Widget prod',
    ]);
  });

  test('a Secret without SOPS recipients is refused, naming every Secret as release/name and the fix', async () => {
    const withSecrets = releases();
    withSecrets[0].objects.push(secret('db-root'));
    withSecrets[1].objects.push(secret('web-token'), secret('web-tls'));
    const err = await publishLayout(withSecrets, { namespace: 'prod' }).catch((e: unknown) => e);
    expect(isKcError(err) && err.code).toBe('SECRET_UNENCRYPTED');
    expect((err as Error).message).toContain('3 Secret(s)');
    expect((err as Error).message).toContain('db/db-root, web/web-tls, web/web-token');
    expect(isKcError(err) && err.hint).toContain('gitops.sops.age');
    expect(isKcError(err) && err.hint).toContain('kc.config.ts');
    // The plain text never reaches the error.
    expect(JSON.stringify(err)).not.toContain('c2VjcmV0');
  });

  test('with an encrypter, each Secret is replaced by its encryption (placed first), in its place', async () => {
    const withSecret = releases();
    withSecret[0].objects.push(secret('db-root'));
    const seen: KubeObject[] = [];
    const layout = await publishLayout(withSecret, {
      namespace: 'prod',
      encryptSecret: async (s) => {
        seen.push(s);
        return { ...s, data: { password: 'ENC[…]' }, sops: { mac: 'ENC[…]' } };
      },
    });
    expect(seen.map((s) => s.metadata?.namespace)).toEqual(['prod']);
    const docs = documents(layout.files)['db/objects.yaml'];
    expect(docs.map((o) => o.kind)).toEqual(['Secret', 'ConfigMap', 'ClusterRole', 'Service', 'Deployment']);
    expect(docs[0]).toMatchObject({ data: { password: 'ENC[…]' }, sops: { mac: 'ENC[…]' } });
    expect(layout.files[1].data.toString()).not.toContain('c2VjcmV0');
  });

  test('placeForPublish: a Secret sorted at every level (its SOPS MAC follows the written order)', () => {
    const secret = obj('v1', 'Secret', 's', { data: { z: 'MQ==', a: 'Mg==' }, type: 'Opaque' });
    const placed = placeForPublish(secret, 'r', 'ns', new Set());
    expect(Object.keys(placed.data as object)).toEqual(['a', 'z']);
    expect(Object.keys(placed)).toEqual(['apiVersion', 'data', 'kind', 'metadata', 'type']);
  });

  test('placeForPublish writes sorted keys where it adds one (metadata, annotations)', () => {
    const placed = placeForPublish(
      obj('v1', 'ConfigMap', 'c', { metadata: { labels: { b: '1', a: '2' } }, data: { z: '1', y: '2' } }),
      'r',
      'ns',
      new Set(),
    );
    expect(Object.keys(placed)).toEqual(['apiVersion', 'data', 'kind', 'metadata']);
    expect(Object.keys(placed.metadata!)).toEqual(['annotations', 'labels', 'name', 'namespace']);
  });
});

describe('objects.yaml', () => {
  test("a YAML stream of indented JSON documents: every string quoted, so Go's YAML readers retype none", async () => {
    const data = { at: '2026-12-06T05:30:13Z', day: '2024-01-01', flag: 'yes', mode: 'on', time: '1:30', n: '012' };
    const objects = [
      obj('v1', 'ConfigMap', 'c', { data }),
      obj('v1', 'Service', 's', { spec: { ports: [{ port: 80 }] } }),
    ];
    const layout = await publishLayout([{ name: 'r', dependsOn: [], objects }], { namespace: 'ns' });
    const text = layout.files[1].data.toString();
    expect(text.startsWith('---\n{\n  "apiVersion": "v1",\n')).toBe(true);
    expect(text.split(/^---$/m)).toHaveLength(3);
    for (const value of Object.values(data)) expect(text).toContain(`: "${value}"`);
    expect(text).toContain('"port": 80');
    const parsed = documents(layout.files)['r/objects.yaml'];
    expect(parsed[0].data).toEqual(data);
    expect(parsed[1].spec).toEqual({ ports: [{ port: 80 }] });
  });
});

describe('layoutArchive', () => {
  test('same files, same bytes; entries sorted, uid/gid 0, one mode and mtime, no gzip timestamp', async () => {
    const a = layoutArchive(await publishLayout(releases(), { namespace: 'prod' }));
    const reversed = await publishLayout(releases(), { namespace: 'prod' });
    reversed.files.reverse();
    const b = layoutArchive(reversed);
    expect(b.equals(a)).toBe(true);
    expect(a.readUInt32LE(4)).toBe(0); // gzip MTIME
    const entries = tarEntries(zlib.gunzipSync(a));
    expect(entries.map((e) => e.name)).toEqual(['db/', 'db/objects.yaml', 'web/', 'web/objects.yaml']);
    expect(new Set(entries.map((e) => `${e.uid} ${e.gid} ${e.mtime}`)).size).toBe(1);
    expect(entries.map((e) => e.mode)).toEqual([0o755, 0o644, 0o755, 0o644]);
    expect(entries[1]).toMatchObject({ uid: 0, gid: 0 });
  });

  test('another namespace or another object gives other bytes', async () => {
    const base = layoutArchive(await publishLayout(releases(), { namespace: 'prod' }));
    expect(layoutArchive(await publishLayout(releases(), { namespace: 'staging' })).equals(base)).toBe(false);
    const changed = releases();
    (changed[0].objects[2].data as Record<string, string>).a = '2';
    expect(layoutArchive(await publishLayout(changed, { namespace: 'prod' })).equals(base)).toBe(false);
  });
});
