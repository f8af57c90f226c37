// The shapes every part of src/oci shares: references, descriptors, the registry client and credentials.

/** A repository in a registry: `127.0.0.1:5000` and `charts/mysql`. */
export interface RepositoryRef {
  /** host[:port], as written (lower-cased); `docker.io` for Docker Hub. */
  registry: string;
  /** The repository path inside the registry, without a tag or digest. */
  repository: string;
}

/** `oci://registry/repository[:tag][@sha256:…]`, parsed. */
export interface OciReference extends RepositoryRef {
  tag?: string;
  /** `sha256:<64 hex>` */
  digest?: string;
}

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  /** `sha256:<64 hex>` */
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  /** Embedded content, base64 (the empty descriptor carries `e30=`). */
  data?: string;
}

/** A manifest as the registry served it: the exact bytes, their digest and media type. */
export interface FetchedManifest {
  bytes: Buffer;
  /** `sha256:…` of `bytes` (verified against the reference when fetched by digest). */
  digest: string;
  mediaType: string;
}

/** What a registry call sends: read and write manifests and blobs, list tags. Errors are KcErrors. */
export interface RegistryClient {
  /** The manifest (or index) at a tag or digest; undefined when the registry says 404. */
  getManifest(repo: RepositoryRef, reference: string, accept?: readonly string[]): Promise<FetchedManifest | undefined>;
  /** Stores a manifest under a tag or its digest; returns its digest. */
  putManifest(repo: RepositoryRef, reference: string, bytes: Buffer, mediaType: string): Promise<string>;
  /** A blob's bytes, verified against its digest, refused past maxBytes. */
  getBlob(repo: RepositoryRef, digest: string, maxBytes: number): Promise<Buffer>;
  /** Uploads a blob unless the registry has it; returns its descriptor (mediaType as given). */
  pushBlob(repo: RepositoryRef, bytes: Buffer, mediaType: string): Promise<Descriptor>;
  /** Every tag of a repository (paginated, bounded). */
  listTags(repo: RepositoryRef): Promise<string[]>;
  /**
   * The OCI 1.1 referrers of a manifest (`GET /v2/<name>/referrers/<digest>`, an image index); undefined when the
   * registry has no referrers API (404), so callers read the `sha256-<hex>` fallback tag. Optional: without it, only
   * the fallback tag is read.
   */
  getReferrers?(repo: RepositoryRef, digest: string): Promise<FetchedManifest | undefined>;
}

/** Credentials for one registry, as Docker's config or a credential helper gives them. */
export type RegistryCredentials =
  | { kind: 'basic'; username: string; password: string }
  /** An OAuth2 refresh token (Docker's `identitytoken`), exchanged at the token endpoint. */
  | { kind: 'identity-token'; token: string }
  /** A bearer token sent as is (Docker's `registrytoken`). */
  | { kind: 'registry-token'; token: string };

/** Looks up credentials for a registry host (Docker config `auths`, `credHelpers`, `credsStore`). */
export interface CredentialStore {
  get(registry: string): Promise<RegistryCredentials | undefined>;
}

/** How to reach a registry: TLS settings and plain HTTP for loopback registries. */
export interface RegistryConnection {
  /** Plain HTTP (as Helm's --plain-http). */
  plainHttp?: boolean;
  /** PEM CA certificates to trust. */
  ca?: string | Buffer;
  /** Skip TLS verification (as Helm's --insecure-skip-tls-verify). */
  insecureSkipTlsVerify?: boolean;
}
