// Argo CD Applications that deliver a published environment from Argo CD's native OCI source (3.1+): one per release,
// its folder of the artifact, ordered by sync waves from kc's release dependencies; optionally one app of apps.
import type { KubeObject } from '../kube/types.js';
import type { FluxSource } from './flux-objects.js';
import { dependencyWaves, gitopsLabels, gitopsName } from './names.js';
import { FLUX_CONTENT_MEDIA_TYPE } from './types.js';

/** The API version of Argo CD's Application. */
export const ARGOCD_API = 'argoproj.io/v1alpha1';

/** Defaults: Argo CD's namespace and project, and the cluster Argo CD runs in. */
export const ARGOCD_DEFAULTS = {
  namespace: 'argocd',
  project: 'default',
  server: 'https://kubernetes.default.svc',
} as const;

/** Where and how the Applications are made. */
export interface ArgoSettings {
  /** Namespace of the Applications (Argo CD's own), default argocd. */
  namespace?: string;
  /** The destination cluster's API server, default the cluster Argo CD runs in. */
  server?: string;
  /** The Argo CD project, default `default`. */
  project?: string;
  /** Also an app of apps: one Application whose source (a Git folder, where these are committed) holds the others. */
  appOfApps?: { repoURL: string; path: string; targetRevision?: string };
}

/**
 * Why Argo CD may refuse the artifact: it accepts only the layer media types named in
 * ARGOCD_REPO_SERVER_OCI_LAYER_MEDIA_TYPES (default: OCI tar, tar+gzip, Helm chart), and kc publishes Flux's layer.
 */
export const ARGOCD_LAYER_NOTICE =
  `Argo CD reads this artifact only when the repo-server's ARGOCD_REPO_SERVER_OCI_LAYER_MEDIA_TYPES ` +
  `(or --oci-layer-media-types) includes ${FLUX_CONTENT_MEDIA_TYPE}`;

function application(
  source: FluxSource,
  release: FluxSource['releases'][number],
  wave: number,
  settings: ArgoSettings,
): KubeObject {
  return {
    apiVersion: ARGOCD_API,
    kind: 'Application',
    metadata: {
      name: gitopsName(source.project, source.env, release.name),
      namespace: settings.namespace ?? ARGOCD_DEFAULTS.namespace,
      labels: gitopsLabels(source.project, source.env, release.name),
      // Dependencies first: an app of apps syncs a lower wave, and waits for it to be healthy, before a higher one.
      // (Argo CD 1.8+ assesses an Application's health only with the argoproj.io_Application health customization.)
      annotations: { 'argocd.argoproj.io/sync-wave': String(wave) },
      // Deleting the Application deletes the release's objects, as `kc uninstall` would.
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: settings.project ?? ARGOCD_DEFAULTS.project,
      source: {
        repoURL: source.repository,
        targetRevision: source.digest || source.tag,
        path: release.path.replace(/^\.\//, ''),
      },
      destination: { server: settings.server ?? ARGOCD_DEFAULTS.server, namespace: release.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        // kc applies server-side; the environment's namespace is created as kc deploy creates it.
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
      },
    },
  };
}

/** The app of apps: one Application syncing the per-release Applications committed at `appOfApps`. */
function appOfApps(source: FluxSource, settings: ArgoSettings & { appOfApps: object }): KubeObject {
  const namespace = settings.namespace ?? ARGOCD_DEFAULTS.namespace;
  return {
    apiVersion: ARGOCD_API,
    kind: 'Application',
    metadata: {
      name: gitopsName(source.project, source.env),
      namespace,
      labels: gitopsLabels(source.project, source.env),
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: settings.project ?? ARGOCD_DEFAULTS.project,
      source: { targetRevision: 'HEAD', ...settings.appOfApps },
      // The children are Applications: they live in Argo CD's namespace of the cluster Argo CD runs in.
      destination: { server: ARGOCD_DEFAULTS.server, namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
}

/** The Applications of a published environment: one per release in the releases' order, then the app of apps. */
export function argocdObjects(published: FluxSource, settings: ArgoSettings = {}): KubeObject[] {
  const waves = dependencyWaves(published.releases);
  const apps = published.releases.map((r) => application(published, r, waves.get(r.name) ?? 0, settings));
  const { appOfApps: parent } = settings;
  return parent ? [...apps, appOfApps(published, { ...settings, appOfApps: parent })] : apps;
}
