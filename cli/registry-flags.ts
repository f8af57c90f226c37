import type { Command } from 'commander';
import type { RegistryOptions } from '../src/oci/options.js';

/** Registry flags as commander parses them. */
export interface RegistryFlagValues {
  plainHttp?: boolean;
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
  verify?: boolean;
  key?: string[];
}

/** Adds --plain-http, --ca-file and --insecure-skip-tls-verify (Helm's names) for oci:// charts. */
export function addRegistryFlags(cmd: Command): Command {
  return cmd
    .option('--plain-http', 'reach an oci:// registry over plain HTTP (registries on loopback)')
    .option('--ca-file <file>', 'trust these CA certificates (PEM) for an oci:// registry')
    .option('--insecure-skip-tls-verify', "do not verify the oci:// registry's TLS certificate");
}

/** Adds --verify and --key: refuse an oci:// chart unless a cosign signature by one of the keys covers its digest. */
export function addVerifyFlags(cmd: Command): Command {
  return cmd
    .option('--verify', 'require a cosign signature of the oci:// chart by one of the --key public keys')
    .option('--key <file...>', 'cosign public key (PEM) to verify with (repeatable)');
}

/** Registry options from parsed flags, and the keys an environment requires (`verify.keys` of kc.config.ts). */
export function registryOptions(flags: RegistryFlagValues, environmentKeys?: string[]): RegistryOptions {
  const options: RegistryOptions = {};
  if (flags.plainHttp) options.plainHttp = true;
  if (flags.caFile) options.caFile = flags.caFile;
  if (flags.insecureSkipTlsVerify) options.insecureSkipTlsVerify = true;
  if (flags.verify || flags.key) options.verifyKeys = flags.key ?? [];
  // An environment that requires signatures cannot be talked out of it by flags: its keys are always added.
  if (environmentKeys) options.verifyKeys = [...(options.verifyKeys ?? []), ...environmentKeys];
  return options;
}
