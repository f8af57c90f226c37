import type { z } from 'zod';

/** Marks a values field as secret (JSON Schema `writeOnly`): kc never prints it without --show-secrets. */
export function secret<T extends z.ZodType>(schema: T, description?: string): T {
  return schema.meta(description ? { writeOnly: true, description } : { writeOnly: true }) as T;
}
