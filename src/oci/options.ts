// What a verb that reads or writes an OCI registry takes from its flags and the project file.

/** Registry connection and signature settings of one command. */
export interface RegistryOptions {
  /** Plain HTTP (as Helm's --plain-http): for registries on loopback without TLS. */
  plainHttp?: boolean;
  /** A PEM file of CA certificates to trust for the registry. */
  caFile?: string;
  /** Skip verifying the registry's TLS certificate. */
  insecureSkipTlsVerify?: boolean;
  /** cosign public keys (PEM files): the artifact must carry a valid signature by one of them. */
  verifyKeys?: string[];
}
