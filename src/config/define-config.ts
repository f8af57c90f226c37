// What a project file (kc.config.ts) imports as `kc/config`: types and an identity function only.

/** One deployment target of a project. */
export interface EnvironmentConfig {
  /** Namespace every release of the app is deployed to. */
  namespace?: string;
  /** kube context name, or "current" (the default) for the kubeconfig's current context. */
  context?: string;
  /** Path of a kubeconfig file, relative to the project (default: $KUBECONFIG or ~/.kube/config). */
  kubeconfig?: string;
  /** Values per release: `{ 'my-mysql': { image: { tag: '5.7.15' } } }`. */
  values?: Record<string, Record<string, unknown>>;
  /** YAML or JSON files of values per release, relative to the project, applied after `values`. */
  valuesFiles?: string[];
  description?: string;
  /**
   * Require signatures: an oci:// chart installed, upgraded, diffed or rendered with `--env` of this environment must
   * carry a cosign signature by one of these public keys (PEM files, relative to the project), checked before any of
   * its code runs.
   */
  verify?: { keys: string[] };
  /** Who applies the environment: kc itself (the default), or Flux pulling what `kc publish` pushed. */
  engine?: 'kc' | 'flux';
  /** Where `kc publish` pushes the rendered environment (one OCI artifact, a folder per release) for a GitOps engine. */
  gitops?: {
    /** `oci://HOST/PATH`: the artifact is tagged with the environment's name. */
    repository: string;
    /** The registry serves plain HTTP (registries on loopback). */
    insecure?: boolean;
    /** How often the engine checks the registry, e.g. '1m' (the default). */
    interval?: string;
    /** Namespace of the engine's objects, default 'flux-system'. */
    namespace?: string;
    /** Sign each published artifact with this cosign private key (relative to the project). */
    sign?: { key: string };
    /** Publish Secrets SOPS-encrypted for these age recipients; without it, publishing a Secret is refused. */
    sops?: { age: string[] };
  };
  /**
   * Fields this environment leaves to other managers (an HPA, `kubectl scale`): release → `Kind` or `Kind/name`
   * → dotted paths, e.g. `{ web: { 'Deployment/web-webapp': ['spec.replicas'] } }`. kc sets them when it creates
   * the object and never sends them again (the annotation kc.dev/yield-fields).
   */
  yieldFields?: Record<string, Record<string, string[]>>;
}

/** A kc project: an app entry and its environments. */
export interface ProjectConfig {
  /** Project name (defaults to the folder name). */
  name?: string;
  /** The app module, relative to the project file; it default-exports `defineApp(...)`. */
  app: string;
  environments?: Record<string, EnvironmentConfig>;
}

/** Declares a project file (the identity function, for types). */
export function defineConfig(config: ProjectConfig): ProjectConfig {
  return config;
}
