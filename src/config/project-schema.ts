import * as z from '../zod-mini.js';

const ageRecipient = z.string().check(z.regex(/^age1[0-9a-z]+$/, 'must be an age recipient (age1…)'));

const releaseValues = z.record(z.string(), z.record(z.string(), z.unknown()));

/** Validates an environment of a project file. */
export const environmentSchema = z.strictObject({
  namespace: z.optional(z.string().check(z.regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label (lowercase letters, digits, "-")'))),
  context: z.optional(z.string().check(z.minLength(1))),
  kubeconfig: z.optional(z.string().check(z.minLength(1))),
  values: z.optional(releaseValues),
  valuesFiles: z.optional(z.array(z.string().check(z.minLength(1)))),
  description: z.optional(z.string()),
  /** Who applies the environment: kc itself (default), or Flux pulling what `kc publish` pushed to `gitops.repository`. */
  engine: z.optional(z.enum(['kc', 'flux'])),
  /** Where `kc publish` pushes the rendered environment, and how a GitOps engine pulls it. */
  gitops: z.optional(
    z.strictObject({
      repository: z.string().check(z.regex(/^oci:\/\//, 'must be an oci://HOST/PATH reference')),
      /** The registry serves plain HTTP (kc's --plain-http, Flux's `insecure`): registries on loopback. */
      insecure: z.optional(z.boolean()),
      /** How often the engine checks the registry (Flux `interval`), default 1m. */
      interval: z.optional(z.string().check(z.regex(/^([0-9]+(ms|s|m|h))+$/, 'must be a duration such as 30s or 1m'))),
      /** Namespace of the engine's objects (OCIRepository, Kustomizations), default flux-system. */
      namespace: z.optional(z.string().check(z.regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label'))),
      /** Sign every published artifact with this cosign private key (the engine verifies with `verify.keys`). */
      sign: z.optional(z.strictObject({ key: z.string().check(z.minLength(1)) })),
      /** Secrets are published SOPS-encrypted for these age recipients (the engine decrypts them in-cluster). */
      sops: z.optional(z.strictObject({ age: z.array(ageRecipient).check(z.minLength(1)) })),
    }),
  ),
  /** oci:// charts installed into this environment must carry a cosign signature by one of these public keys. */
  verify: z.optional(
    z.strictObject({
      keys: z.array(z.string().check(z.minLength(1))).check(z.minLength(1, 'name at least one public key file')),
    }),
  ),
  /** Fields this environment leaves to other managers: release → `Kind` or `Kind/name` → dotted paths. */
  yieldFields: z.optional(
    z.record(
      z.string(),
      z.record(
        z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9]*(\/[^/]+)?$/, 'must be Kind or Kind/name, e.g. Deployment/web')),
        z.array(z.string().check(z.regex(/^[^.\s,]+(\.[^.\s,]+)*$/, 'must be a dotted field path such as spec.replicas'))),
      ),
    ),
  ),
});

/** Validates a project file's default export. */
export const projectSchema = z.strictObject({
  name: z.optional(z.string().check(z.minLength(1))),
  app: z.string().check(z.minLength(1)),
  environments: z.optional(z.record(z.string().check(z.regex(/^[a-z0-9][-a-z0-9_]*$/, 'environment names are lowercase words')), environmentSchema)),
});

/** A validated project file. */
export type Project = z.output<typeof projectSchema>;
