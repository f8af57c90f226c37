import { z } from 'zod';

const releaseValues = z.record(z.string(), z.record(z.string(), z.unknown()));

/** Validates an environment of a project file. */
export const environmentSchema = z.strictObject({
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label (lowercase letters, digits, "-")').optional(),
  context: z.string().min(1).optional(),
  kubeconfig: z.string().min(1).optional(),
  values: releaseValues.optional(),
  valuesFiles: z.array(z.string().min(1)).optional(),
  description: z.string().optional(),
});

/** Validates a project file's default export. */
export const projectSchema = z.strictObject({
  name: z.string().min(1).optional(),
  app: z.string().min(1),
  environments: z.record(z.string().regex(/^[a-z0-9][-a-z0-9_]*$/, 'environment names are lowercase words'), environmentSchema).optional(),
});

/** A validated project file. */
export type Project = z.output<typeof projectSchema>;
