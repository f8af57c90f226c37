// The media types of a kc chart stored in an OCI registry (documented in the README, "Charts in OCI registries").

/** The manifest's artifactType: what kind of artifact this is (OCI 1.1). */
export const KC_ARTIFACT_TYPE = 'application/vnd.kc.chart.v1';
/** The config blob: the chart's metadata and values JSON Schema, so `kc show values` reads no chart code. */
export const KC_CONFIG_MEDIA_TYPE = 'application/vnd.kc.chart.config.v1+json';
/** The one layer: the chart's reproducible .tgz made by `kc package`. */
export const KC_CONTENT_MEDIA_TYPE = 'application/vnd.kc.chart.content.v1.tar+gzip';

/** OCI image manifest. */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** OCI image index. */
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** Docker schema 2 manifest and manifest list (container images). */
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** The empty config of artifacts that have none. */
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';

/** Helm 3/4 charts in OCI: their config and content media types (to recognize them and say so). */
export const HELM_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.helm.config.v1+json';
export const HELM_CONTENT_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
