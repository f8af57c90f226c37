// The files of a published environment: one folder per release holding the objects `kc deploy` would apply, placed as
// it places them (namespace, release annotation), in its apply order; and their deterministic tar.gz (Flux's layer).
import { deterministicTgz, type ArchiveFile } from '../artifact/tar-write.js';
import { KcError } from '../errors/index.js';
import { isHook } from '../kube/hooks.js';
import { RELEASE_ANNOTATION } from '../kube/constants.js';
import { CLUSTER_SCOPED_KINDS, sortForInstall, type KubeObject } from '../synth/index.js';
import { sortKeys } from '../synth/normalize.js';
import { isSecret, prepareSecrets, type SecretEncrypter } from './publish-secrets.js';
import type { PublishedRelease } from './types.js';

/** What the layout needs of a rendered release (a SynthRelease fits). */
export interface LayoutRelease {
  name: string;
  dependsOn: string[];
  objects: KubeObject[];
}

/** How to lay out an environment. */
export interface LayoutOptions {
  /** The namespace namespaced objects that name none go to (the environment's). */
  namespace: string;
  /** Encrypts a rendered Secret for the engine (SOPS); without it, publishing a Secret is refused. */
  encryptSecret?: SecretEncrypter;
}

/** An environment laid out: its files (`<release>/`, `<release>/objects.yaml`) and what each release folder holds. */
export interface PublishLayout {
  files: ArchiveFile[];
  releases: PublishedRelease[];
}

/** `group/Kind` of the custom kinds a CustomResourceDefinition in the render declares cluster-scoped. */
function clusterScopedCustomKinds(objects: readonly KubeObject[]): Set<string> {
  const kinds = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = (o.spec ?? {}) as { group?: string; scope?: string; names?: { kind?: string } };
    if (spec.scope === 'Cluster' && spec.group && spec.names?.kind) kinds.add(`${spec.group}/${spec.names.kind}`);
  }
  return kinds;
}

const groupOf = (apiVersion: string | undefined) => (apiVersion?.includes('/') ? apiVersion.split('/')[0] : '');

/**
 * An object as `kc deploy` sends it (see kube/apply placeObject), decided without a cluster: built-in cluster-scoped
 * kinds and kinds of cluster-scoped CRDs in the render lose any namespace, every other kind gets `namespace` unless
 * it names one, and each carries the release annotation (`namespace/release`). Keys stay sorted, as synth writes
 * them and objects.yaml prints them: a SOPS MAC follows the values in the object's order, which must be the written
 * one. A Secret is sorted at every level; other objects (1000 in a big app) only where a key was added.
 */
export function placeForPublish(
  object: KubeObject,
  release: string,
  namespace: string,
  customClusterKinds: ReadonlySet<string>,
): KubeObject {
  const metadata = { ...(object.metadata ?? {}) };
  const kind = object.kind ?? '';
  const clusterScoped =
    CLUSTER_SCOPED_KINDS.has(kind) || customClusterKinds.has(`${groupOf(object.apiVersion)}/${kind}`);
  if (clusterScoped) delete metadata.namespace;
  else metadata.namespace = metadata.namespace ?? namespace;
  const annotations = (metadata.annotations as Record<string, string> | undefined) ?? {};
  metadata.annotations = shallowSorted({ ...annotations, [RELEASE_ANNOTATION]: `${namespace}/${release}` });
  const placed = { ...object, metadata: shallowSorted(metadata) };
  return (isSecret(placed) ? sortKeys(placed) : shallowSorted(placed)) as KubeObject;
}

/** A copy of a map with its own keys sorted (its values as they are). */
function shallowSorted<T extends Record<string, unknown>>(map: T): T {
  return Object.fromEntries(
    Object.keys(map)
      .sort()
      .map((k) => [k, map[k]]),
  ) as T;
}

/** Hooks other than tests run around an apply; a GitOps engine applies the objects alone, so they are refused. */
function refuseLifecycleHooks(releases: readonly LayoutRelease[]): void {
  const found: string[] = [];
  for (const r of releases) {
    for (const o of r.objects.filter(isHook)) {
      const events = String((o.metadata?.annotations as Record<string, string>)['kc.dev/hook'] ?? '');
      const lifecycle = events
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e && e !== 'test');
      if (lifecycle.length) found.push(`${r.name}/${o.kind}/${o.metadata?.name ?? '?'} (${lifecycle.join(', ')})`);
    }
  }
  if (found.length === 0) return;
  throw new KcError(
    'HOOKS_UNSUPPORTED',
    `${found.length} hook(s) would not run under a GitOps engine: ${found.join(', ')}`,
    {
      details: found,
      hint:
        'Flux applies a release\'s objects and runs no kc hooks: deploy this environment with engine "kc", ' +
        'or make the hook an ordinary object (a Job the app applies)',
    },
  );
}

/**
 * One release's `objects.yaml`: a multi-document YAML stream whose documents are indented JSON (JSON is YAML): every
 * string is quoted, so no reader retypes one (Go's YAML readers — sops, kustomize, sigs.k8s.io/yaml — would take an
 * unquoted sops `lastmodified` for a time, `yes` for a boolean), and it is written 50 times faster than block YAML
 * (a 1000-object app: ~4 ms, not ~200 ms). Keys keep the objects' order: sorted, as synth and placeForPublish leave it.
 */
function objectsYaml(objects: readonly KubeObject[]): Buffer {
  return Buffer.from(objects.map((o) => `---\n${JSON.stringify(o, null, 2)}\n`).join(''));
}

/**
 * Lays out an environment's releases (in kc's release order): each release's objects without its test hooks (kc
 * runs those on demand, never at deploy), placed and in apply order, Secrets encrypted or refused.
 */
export async function publishLayout(
  releases: readonly LayoutRelease[],
  options: LayoutOptions,
): Promise<PublishLayout> {
  refuseLifecycleHooks(releases);
  const customClusterKinds = clusterScopedCustomKinds(releases.flatMap((r) => r.objects));
  const placed = releases.map((r) => ({
    release: r,
    objects: sortForInstall(
      r.objects.filter((o) => !isHook(o)).map((o) => placeForPublish(o, r.name, options.namespace, customClusterKinds)),
    ),
  }));
  const encrypted = await prepareSecrets(
    placed.map((p) => ({ release: p.release.name, objects: p.objects })),
    options.encryptSecret,
  );
  const names = new Set(releases.map((r) => r.name));
  const files: ArchiveFile[] = [];
  const out: PublishedRelease[] = [];
  placed.forEach((p, i) => {
    const objects = encrypted[i];
    // A directory entry first, as `flux push artifact` writes them: extractors that create no parents need it.
    files.push({ path: `${p.release.name}/`, data: Buffer.alloc(0), directory: true });
    files.push({ path: `${p.release.name}/objects.yaml`, data: objectsYaml(objects) });
    out.push({
      name: p.release.name,
      namespace: options.namespace,
      path: `./${p.release.name}`,
      dependsOn: p.release.dependsOn.filter((d) => names.has(d)),
      objects: objects.map((o) => ({
        apiVersion: o.apiVersion ?? '',
        kind: o.kind ?? '',
        name: o.metadata?.name ?? '',
        ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
      })),
    });
  });
  return { files, releases: out };
}

/** The layer Flux reads: a gzipped tar of the files, byte-identical for identical files. */
export function layoutArchive(layout: Pick<PublishLayout, 'files'>): Buffer {
  return deterministicTgz(layout.files);
}
