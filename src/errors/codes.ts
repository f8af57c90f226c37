/** Process exit codes, one per class of failure; documented in the README. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  invalidInput: 2,
  notFound: 3,
  chartFailed: 4,
  cluster: 5,
  conflict: 6,
  timeout: 7,
  integrity: 8,
  /** `kc diff --exit-code` found changes: distinct from every error code. */
  changesPending: 20,
} as const;

/** Stable error codes, each with the exit code the CLI uses for it. */
export const ErrorCodes = {
  USAGE: ExitCode.invalidInput,
  SET_SYNTAX: ExitCode.invalidInput,
  VALUES_INVALID: ExitCode.invalidInput,
  VALUES_FILE_INVALID: ExitCode.invalidInput,
  CONFIG_INVALID: ExitCode.invalidInput,
  /** A release name that is not a DNS-1123 label of at most 53 characters (Helm's rule), for every release command. */
  RELEASE_NAME_INVALID: ExitCode.invalidInput,
  ENV_UNKNOWN: ExitCode.invalidInput,
  RELEASE_UNKNOWN: ExitCode.invalidInput,
  CHART_INVALID: ExitCode.invalidInput,
  PROJECT_NOT_FOUND: ExitCode.notFound,
  CHART_NOT_FOUND: ExitCode.notFound,
  FILE_NOT_FOUND: ExitCode.notFound,
  BUNDLE_FAILED: ExitCode.chartFailed,
  CHART_FAILED: ExitCode.chartFailed,
  INTERNAL: ExitCode.internal,
  TIMEOUT: ExitCode.timeout,
  INTERRUPTED: ExitCode.timeout,
  NOT_READY: ExitCode.timeout,
  /** `kc status`: objects of the release are missing or differ from its revision (changed outside kc). */
  DRIFTED: ExitCode.timeout,
  CLUSTER_UNREACHABLE: ExitCode.cluster,
  KUBECONFIG_INVALID: ExitCode.cluster,
  FORBIDDEN: ExitCode.cluster,
  API_ERROR: ExitCode.cluster,
  /** The request was sent but its answer was lost (reset, truncated, timed out): the server may have acted on it. */
  CONNECTION_LOST: ExitCode.cluster,
  /** A complete answer that is not what the Kubernetes API returns for the request (HTML, garbage, wrong kind). */
  RESPONSE_INVALID: ExitCode.cluster,
  /** The TLS handshake failed: the server's certificate is not trusted (wrong CA, wrong name, expired). */
  TLS_FAILED: ExitCode.cluster,
  UNKNOWN_KIND: ExitCode.invalidInput,
  OBJECT_INVALID: ExitCode.invalidInput,
  NOT_FOUND: ExitCode.notFound,
  RELEASE_NOT_FOUND: ExitCode.notFound,
  REVISION_NOT_FOUND: ExitCode.notFound,
  ALREADY_EXISTS: ExitCode.conflict,
  FIELD_CONFLICT: ExitCode.conflict,
  /** The API server refuses to change a field of a live object that cannot change (--force-replace recreates it). */
  FIELD_IMMUTABLE: ExitCode.conflict,
  CONFLICT: ExitCode.conflict,
  RESOURCE_NOT_OWNED: ExitCode.conflict,
  RELEASE_LOCKED: ExitCode.conflict,
  /** This process lost the release's lock (paused past its lease, or the lease was taken over): it stopped writing. */
  LOCK_LOST: ExitCode.conflict,
  RELEASE_EXISTS: ExitCode.conflict,
  RECORD_CORRUPT: ExitCode.integrity,
  /** The namespace's record key is gone while encrypted records exist: no new key is minted over them. */
  RECORD_KEY_MISSING: ExitCode.integrity,
  HOOK_FAILED: ExitCode.timeout,
  TESTS_FAILED: ExitCode.timeout,
  // Packages and repositories.
  INTEGRITY_MISMATCH: ExitCode.integrity,
  ARCHIVE_UNSAFE: ExitCode.integrity,
  ARCHIVE_CORRUPT: ExitCode.integrity,
  ARTIFACT_INVALID: ExitCode.integrity,
  REPO_INDEX_INVALID: ExitCode.integrity,
  REPO_NOT_FOUND: ExitCode.notFound,
  /** `kc registry logout`: no credentials for that registry in the Docker config or its credential helper. */
  NOT_LOGGED_IN: ExitCode.notFound,
  REPO_EXISTS: ExitCode.conflict,
  FETCH_FAILED: ExitCode.cluster,
  /** An OCI registry refused the credentials (401) or the access (403). */
  REGISTRY_AUTH_FAILED: ExitCode.cluster,
  /** A Docker credential helper (docker-credential-NAME) failed, printed no credentials JSON, or said too much. */
  CREDENTIAL_HELPER_FAILED: ExitCode.cluster,
  /** An OCI artifact is unsigned, signed by another key, or its signature does not match its digest. */
  SIGNATURE_INVALID: ExitCode.integrity,
  /** A signing or verification key that cannot be used: not a key, not ECDSA P-256, or a wrong password. */
  KEY_INVALID: ExitCode.invalidInput,
  DEPENDENCY_LOCK_STALE: ExitCode.invalidInput,
  // Authoring: kc lint.
  LINT_FAILED: ExitCode.invalidInput,
  KUBE_VERSION_UNKNOWN: ExitCode.invalidInput,
  // GitOps: kc publish.
  /** A rendered Secret would be published in plain text: the environment names no SOPS recipients (gitops.sops). */
  SECRET_UNENCRYPTED: ExitCode.invalidInput,
  /** The app has lifecycle hooks, which a GitOps engine never runs. */
  HOOKS_UNSUPPORTED: ExitCode.invalidInput,
  // Adoption: kc adopt helm.
  /** A Secret carrying Helm's release labels that is not a readable Helm 3/4 record of the release. */
  HELM_RECORD_INVALID: ExitCode.integrity,
  /** The Helm release's latest revision is pending (an operation running or interrupted): it cannot be adopted. */
  HELM_RELEASE_PENDING: ExitCode.conflict,
  /** Adopting would change a live object (it differs from Helm's deployed manifest): refused, nothing restarts. */
  ADOPT_WOULD_CHANGE: ExitCode.conflict,
  // Typed CRDs: kc import crd.
  /** An input to `kc import crd` that is not a usable CustomResourceDefinition (another kind, no schema, bad YAML). */
  CRD_INVALID: ExitCode.invalidInput,
  // Helm charts rendered by helm.
  /** A Helm chart needs the helm binary (KC_HELM or PATH), and there is none. */
  HELM_NOT_FOUND: ExitCode.notFound,
  /** `helm template` refused the chart or its values (Helm's message says where). */
  HELM_TEMPLATE_FAILED: ExitCode.chartFailed,
} as const;

/** One of the stable error codes. */
export type ErrorCode = keyof typeof ErrorCodes;
