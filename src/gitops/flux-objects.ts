// The Flux objects that deliver a published environment: one OCIRepository pulling the artifact, one Kustomization
// per release applying its folder, and the Secret of cosign public keys the source verifies signatures with.
import type { EnvironmentConfig } from '../config/define-config.js';
import { KcError } from '../errors/index.js';
import type { KubeObject } from '../kube/types.js';
import { gitopsLabels, gitopsName } from './names.js';
import type { PublishedEnvironment, PublishedRelease } from './types.js';

/** The API versions of the Flux objects kc writes. */
export const FLUX_SOURCE_API = 'source.toolkit.fluxcd.io/v1';
export const FLUX_KUSTOMIZE_API = 'kustomize.toolkit.fluxcd.io/v1';

/** Defaults: Flux's namespace, how often it looks at the registry, how long a release may take to become ready. */
export const FLUX_DEFAULTS = { namespace: 'flux-system', interval: '1m', timeout: '5m' } as const;

/** An environment's artifact as far as Flux needs it; a PublishedEnvironment is one (digest optional: the tag then). */
export interface FluxSource {
  project: string;
  env: string;
  /** `oci://HOST/PATH` (no tag). */
  repository: string;
  /** The tag pushed (the environment's name): used when no digest is known. */
  tag: string;
  /** The manifest digest (`sha256:…`): the source is pinned to it when set. */
  digest?: string;
  releases: (Pick<PublishedRelease, 'name' | 'namespace' | 'path' | 'dependsOn'> &
    Partial<Pick<PublishedRelease, 'objects'>>)[];
}

/** A cosign public key (PEM) the source accepts signatures of, under a name unique among the keys. */
export interface NamedPublicKey {
  /** Becomes the Secret data key `<name>.pub` (Flux tries every key ending in `.pub`). */
  name: string;
  pem: string;
}

/** How the environment asks Flux to deliver it (its `gitops` settings) and what to verify with. */
export interface FluxSettings {
  gitops?: Pick<NonNullable<EnvironmentConfig['gitops']>, 'insecure' | 'interval' | 'namespace' | 'sops'>;
  /** Verification is on when there is at least one key (the environment signs, or requires signatures). */
  publicKeys?: NamedPublicKey[];
  /** How long each Kustomization waits for its objects to be ready (Flux `timeout`), default 5m. */
  timeout?: string;
}

/** The names kc gives an environment's Flux objects: deterministic, and distinct per project and environment. */
export interface FluxNames {
  namespace: string;
  source: string;
  /** The Secret of cosign public keys (kc writes it). */
  verifySecret: string;
  /** The Secret of the age identity (`*.agekey`) kustomize-controller decrypts Secrets with (the user creates it). */
  decryptionSecret: string;
  kustomization(release: string): string;
}

/** The names of the Flux objects of `project`'s environment `env`. */
export function fluxNames(project: string, env: string, namespace?: string): FluxNames {
  return {
    namespace: namespace ?? FLUX_DEFAULTS.namespace,
    source: gitopsName(project, env),
    verifySecret: gitopsName(project, env, 'cosign'),
    decryptionSecret: gitopsName(project, env, 'sops-age'),
    kustomization: (release) => gitopsName(project, env, release),
  };
}

function checkKeyNames(keys: readonly NamedPublicKey[]): void {
  const seen = new Set<string>();
  for (const { name } of keys) {
    if (!/^[-._a-zA-Z0-9]+$/.test(name) || seen.has(name)) {
      throw new KcError('INTERNAL', `public key name "${name}" is not a unique Secret data key`);
    }
    seen.add(name);
  }
}

/** The Secret of cosign public keys an OCIRepository verifies with: one `<name>.pub` data key per key. */
export function fluxVerifySecret(source: FluxSource, keys: readonly NamedPublicKey[], names: FluxNames): KubeObject {
  checkKeyNames(keys);
  const data: Record<string, string> = {};
  for (const k of keys) data[`${k.name}.pub`] = Buffer.from(k.pem).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: names.verifySecret,
      namespace: names.namespace,
      labels: gitopsLabels(source.project, source.env),
    },
    type: 'Opaque',
    data,
  };
}

/** The OCIRepository pulling the environment's artifact, pinned to its digest when known, else following its tag. */
export function fluxSource(source: FluxSource, settings: FluxSettings, names: FluxNames): KubeObject {
  const verify = settings.publicKeys?.length
    ? { provider: 'cosign', secretRef: { name: names.verifySecret } }
    : undefined;
  return {
    apiVersion: FLUX_SOURCE_API,
    kind: 'OCIRepository',
    metadata: { name: names.source, namespace: names.namespace, labels: gitopsLabels(source.project, source.env) },
    spec: {
      url: source.repository,
      interval: settings.gitops?.interval ?? FLUX_DEFAULTS.interval,
      ref: source.digest ? { digest: source.digest } : { tag: source.tag },
      ...(settings.gitops?.insecure ? { insecure: true } : {}),
      ...(verify ? { verify } : {}),
    },
  };
}

/** The Kustomization applying one release's folder, after the Kustomizations of the releases it depends on. */
export function fluxKustomization(
  source: FluxSource,
  release: FluxSource['releases'][number],
  settings: FluxSettings,
  names: FluxNames,
): KubeObject {
  const known = new Set(source.releases.map((r) => r.name));
  // A dependency outside the environment (an --only selection) has no Kustomization to wait for.
  const dependsOn = release.dependsOn.filter((d) => known.has(d)).map((d) => ({ name: names.kustomization(d) }));
  return {
    apiVersion: FLUX_KUSTOMIZE_API,
    kind: 'Kustomization',
    metadata: {
      name: names.kustomization(release.name),
      namespace: names.namespace,
      labels: gitopsLabels(source.project, source.env, release.name),
    },
    spec: {
      interval: settings.gitops?.interval ?? FLUX_DEFAULTS.interval,
      path: release.path,
      prune: true,
      // Health-checks every object applied, as kc deploy waits for readiness.
      wait: true,
      timeout: settings.timeout ?? FLUX_DEFAULTS.timeout,
      // kc keeps a namespace an object names itself; Flux's targetNamespace would move it, so it is set only when
      // every namespaced object of the release is in the environment's namespace (publish placed them all).
      ...(release.objects?.some((o) => o.namespace && o.namespace !== release.namespace)
        ? {}
        : { targetNamespace: release.namespace }),
      sourceRef: { kind: 'OCIRepository', name: names.source },
      ...(dependsOn.length ? { dependsOn } : {}),
      ...(settings.gitops?.sops
        ? { decryption: { provider: 'sops', secretRef: { name: names.decryptionSecret } } }
        : {}),
    },
  };
}

/** The environment's namespace(s): Flux applies into a targetNamespace only when it exists, as kc deploy creates it. */
export function fluxNamespaces(source: FluxSource): KubeObject[] {
  const namespaces = [...new Set(source.releases.map((r) => r.namespace))].filter(Boolean).sort();
  return namespaces.map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: gitopsLabels(source.project, source.env) },
  }));
}

/**
 * Every Flux object that delivers a published environment, in apply order: the environment's Namespace, the
 * verification Secret (when keys are given), the OCIRepository, then one Kustomization per release in the releases'
 * order.
 */
export function fluxObjects(published: FluxSource | PublishedEnvironment, settings: FluxSettings = {}): KubeObject[] {
  const names = fluxNames(published.project, published.env, settings.gitops?.namespace);
  const keys = settings.publicKeys ?? [];
  return [
    ...fluxNamespaces(published),
    ...(keys.length ? [fluxVerifySecret(published, keys, names)] : []),
    fluxSource(published, settings, names),
    ...published.releases.map((r) => fluxKustomization(published, r, settings, names)),
  ];
}
