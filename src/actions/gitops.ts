// `kc gitops export`: the Flux or Argo CD objects that deliver an environment, for teams that commit them to Git.
import type { KcContext } from '../context.js';
import { KcError } from '../errors/index.js';
import { argocdObjects, ARGOCD_LAYER_NOTICE, type ArgoSettings } from '../gitops/argocd-objects.js';
import { fluxObjects, type FluxSource } from '../gitops/flux-objects.js';
import { gitopsPublicKeys } from '../gitops/public-keys.js';
import type { KubeObject } from '../kube/types.js';
import type { SynthRelease } from '../synth/index.js';
import { toYamlStream } from '../synth/yaml.js';
import { prepareSynth } from './synth.js';

/** The GitOps engines kc writes objects for. */
export type GitopsEngine = 'flux' | 'argocd';

/** Options of `kc gitops export`. */
export interface GitopsExportOptions {
  /** Project directory (default: the current directory). */
  project?: string;
  env: string;
  /** Default flux. */
  engine?: GitopsEngine;
  /** The published manifest digest to pin (`sha256:…`); without it the engine follows the tag (the env's name). */
  digest?: string;
  /** The OCI repository (`oci://HOST/PATH`), instead of the environment's gitops.repository. */
  repository?: string;
  /** The namespace the releases go to, instead of the environment's. */
  namespace?: string;
  /** Argo CD: namespace of the Applications, destination server, project, app of apps. */
  argocd?: ArgoSettings;
}

/** The engine objects of an environment, in apply order, and their YAML. */
export interface GitopsExportResult {
  engine: GitopsEngine;
  objects: KubeObject[];
  yaml: string;
  /** What the user should know before committing the objects (one line each). */
  warnings: string[];
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The releases as a published environment names them (a folder `./<name>` each, dependencies among them). */
export function exportedReleases(releases: readonly SynthRelease[], namespace: string): FluxSource['releases'] {
  const names = new Set(releases.map((r) => r.name));
  return releases.map((r) => ({
    name: r.name,
    namespace,
    path: `./${r.name}`,
    dependsOn: r.dependsOn.filter((d) => names.has(d)),
    objects: r.objects.map((o) => ({
      apiVersion: o.apiVersion ?? '',
      kind: o.kind ?? '',
      name: o.metadata?.name ?? '',
      ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
    })),
  }));
}

/**
 * Releases with Secrets: kc publish encrypts them with SOPS (or refuses them), and Argo CD's OCI source applies
 * files as they are, so without a SOPS-capable plugin those Secrets would not deploy.
 */
function argocdSecretWarnings(releases: readonly SynthRelease[]): string[] {
  return releases.flatMap((r) => {
    const secrets = r.objects.filter((o) => o.kind === 'Secret' && o.apiVersion === 'v1').length;
    if (!secrets) return [];
    return [
      `release ${r.name} has ${secrets} Secret(s): kc publish encrypts them with SOPS, which Argo CD's OCI source ` +
        'does not decrypt; give Argo CD a SOPS-capable plugin, or keep Secrets out of the app (External Secrets)',
    ];
  });
}

/** Releases with Secrets in an environment without gitops.sops: kc publish refuses them (never plain text). */
function fluxSecretWarnings(releases: readonly SynthRelease[], sops: boolean): string[] {
  if (sops) return [];
  const found = releases.filter((r) => r.objects.some((o) => o.kind === 'Secret' && o.apiVersion === 'v1'));
  if (!found.length) return [];
  return [
    `release(s) ${found.map((r) => r.name).join(', ')} have Secrets and the environment sets no gitops.sops: ` +
      'kc publish will refuse them (Secrets never reach a registry in plain text)',
  ];
}

/**
 * `kc gitops export --env E`: renders the environment as `kc publish` would (to learn its releases and their order)
 * and returns the objects that make Flux (OCIRepository, Kustomizations, the key Secret) or Argo CD (Applications)
 * pull it from the registry. Nothing is pushed or applied.
 */
export async function gitopsExport(ctx: KcContext, options: GitopsExportOptions): Promise<GitopsExportResult> {
  const engine = options.engine ?? 'flux';
  if (options.digest !== undefined && !DIGEST.test(options.digest)) {
    throw new KcError('USAGE', `--digest ${options.digest} is not a manifest digest`, {
      hint: 'pass the sha256:<64 hex> that `kc publish` printed, or leave it out to follow the environment\'s tag',
    });
  }
  const prepared = await prepareSynth(ctx, { target: options.project, env: options.env, namespace: options.namespace });
  const environment = prepared.environment;
  if (prepared.mode !== 'project' || !environment || !prepared.dir || !prepared.project) {
    throw new KcError('USAGE', `${options.project ?? '.'} is a chart, not a project`, {
      hint: 'gitops export takes a project with kc.config.ts and one of its environments',
    });
  }
  const repository = options.repository ?? environment.gitops?.repository;
  if (!repository || !repository.startsWith('oci://')) {
    throw new KcError('CONFIG_INVALID', `environment "${options.env}" has no gitops.repository to pull from`, {
      hint: "set gitops: { repository: 'oci://HOST/PATH' } on the environment in the project file, " +
        'or pass --repository oci://HOST/PATH',
    });
  }
  const namespace = prepared.namespace;
  if (!namespace) {
    throw new KcError('CONFIG_INVALID', `environment "${options.env}" names no namespace for its releases`, {
      hint: 'set `namespace` on the environment, or pass --namespace NS (an engine applies where it is told, not ' +
        'where a kubeconfig points)',
    });
  }
  const read = (file: string) => (ctx.fs.exists(file) ? ctx.fs.readText(file) : undefined);
  const publicKeys = engine === 'flux' ? gitopsPublicKeys(environment, prepared.dir, read) : [];
  const rendered = await prepared.render();
  const source: FluxSource = {
    project: prepared.project,
    env: options.env,
    repository,
    tag: options.env,
    ...(options.digest ? { digest: options.digest } : {}),
    releases: exportedReleases(rendered.releases, namespace),
  };
  const objects = engine === 'flux'
    ? fluxObjects(source, { gitops: environment.gitops, publicKeys })
    : argocdObjects(source, options.argocd);
  const label = `kc gitops export --env ${options.env}`;
  const stream = toYamlStream(objects.map((value) => ({ source: `${label}, project ${prepared.project}`, value })));
  const yaml = engine === 'argocd' ? `# ${ARGOCD_LAYER_NOTICE}\n${stream}` : stream;
  const warnings = engine === 'argocd'
    ? argocdSecretWarnings(rendered.releases)
    : fluxSecretWarnings(rendered.releases, Boolean(environment.gitops?.sops));
  return { engine, objects, yaml, warnings };
}
