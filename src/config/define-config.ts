// What a project file (kc.config.ts) imports as `kc/config`: types and an identity function only.
import type { AppReleases, ReleaseValuesOf } from '../chart/release-values.js';

type UntypedValues = Record<string, Record<string, unknown>>;

/**
 * Values per release: any map when the project file names no app type; with `defineConfig<typeof app>` (an app that
 * returns its charts by release name), only those releases, each typed by its chart's values input.
 */
export type EnvironmentValues<A = unknown> = unknown extends A
  ? UntypedValues
  : AppReleases<A> extends Record<string, object>
    ? ReleaseValuesOf<A>
    : UntypedValues;

/** Release-keyed settings other than values (yieldFields): the app's release names when it is typed. */
type PerRelease<A, T> = unknown extends A
  ? Record<string, T>
  : AppReleases<A> extends Record<string, object>
    ? { [K in keyof AppReleases<A>]?: T }
    : Record<string, T>;

/** One deployment target of a project (of app type `A`, when the project file names it). */
export interface EnvironmentConfig<A = unknown> {
  /** Namespace every release of the app is deployed to. */
  namespace?: string;
  /** kube context name, or "current" (the default) for the kubeconfig's current context. */
  context?: string;
  /** Path of a kubeconfig file, relative to the project (default: $KUBECONFIG or ~/.kube/config). */
  kubeconfig?: string;
  /** Values per release: `{ 'my-mysql': { image: { tag: '5.7.15' } } }`. */
  values?: EnvironmentValues<A>;
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
  yieldFields?: PerRelease<A, Record<string, string[]>>;
}

/** A kc project: an app entry and its environments (values typed by app type `A`, when given). */
export interface ProjectConfig<A = unknown> {
  /** Project name (defaults to the folder name). */
  name?: string;
  /** The app module, relative to the project file; it default-exports `defineApp(...)`. */
  app: string;
  environments?: Record<string, EnvironmentConfig<A>>;
}

/**
 * Declares a project file (the identity function, for types). `defineConfig<typeof app>({...})`, with
 * `import type app from './app.js'` and an app that returns its charts, types every environment's values.
 */
export function defineConfig<A = unknown>(config: ProjectConfig<A>): ProjectConfig<A> {
  return config;
}
