// The shapes shared by publishing an environment, exporting GitOps objects and deploying through a GitOps engine.

/** Flux's OCI artifact media types (`flux push artifact`): source-controller reads the first layer as tar+gzip. */
export const FLUX_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.flux.config.v1+json';
export const FLUX_CONTENT_MEDIA_TYPE = 'application/vnd.cncf.flux.content.v1.tar+gzip';

/** One release inside a published environment: its folder in the artifact and the releases it waits for. */
export interface PublishedRelease {
  name: string;
  /** The namespace its namespaced objects go to (the environment's). */
  namespace: string;
  /** Folder of the release in the artifact, `./<name>` (one multi-document `objects.yaml` inside, in kc's order). */
  path: string;
  /** Releases this one depends on (kc's release order): Flux `dependsOn`, Argo CD sync waves. */
  dependsOn: string[];
  /** The kinds and names kc waits for, for health checks (Flux `wait: true` covers them all). */
  objects: { apiVersion: string; kind: string; name: string; namespace?: string }[];
}

/** What `kc publish --env E` pushed: enough to point a GitOps engine at it. */
export interface PublishedEnvironment {
  project: string;
  env: string;
  /** `oci://HOST/PATH` (no tag). */
  repository: string;
  /** The tag pushed (the environment's name). */
  tag: string;
  /** The manifest digest, `sha256:…`: engines are pointed at it, rollback points back to an older one. */
  digest: string;
  releases: PublishedRelease[];
  /** True when the artifact was signed (the engine then verifies it). */
  signed: boolean;
}
