import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';

/** When a hook runs; `test` hooks run only on `kc test`. */
export type HookEvent =
  | 'pre-install'
  | 'post-install'
  | 'pre-upgrade'
  | 'post-upgrade'
  | 'pre-rollback'
  | 'post-rollback'
  | 'pre-delete'
  | 'post-delete'
  | 'test';

/** When a hook object is deleted: before the next run (default), after it succeeds, after it fails. */
export type HookDeletePolicy = 'before-hook-creation' | 'hook-succeeded' | 'hook-failed';

/** How a hook runs. */
export interface HookOptions {
  on: HookEvent[];
  /** Lower weights run first (default 0). */
  weight?: number;
  deletePolicy?: HookDeletePolicy[];
}

/** Annotation keys kc reads on hook objects. */
export const HOOK_ANNOTATIONS = {
  events: 'kc.dev/hook',
  weight: 'kc.dev/hook-weight',
  deletePolicy: 'kc.dev/hook-delete-policy',
} as const;

/**
 * Makes an object (typically a Job or Pod) a hook: it is not part of the release's manifest, but is run,
 * waited for and cleaned up around install, upgrade, rollback, delete or `kc test`.
 */
export function hook<T extends IConstruct>(construct: T, options: HookOptions): T {
  const object = ApiObject.of(construct);
  object.metadata.addAnnotation(HOOK_ANNOTATIONS.events, [...options.on].sort().join(','));
  object.metadata.addAnnotation(HOOK_ANNOTATIONS.weight, String(options.weight ?? 0));
  object.metadata.addAnnotation(HOOK_ANNOTATIONS.deletePolicy, (options.deletePolicy ?? ['before-hook-creation']).join(','));
  return construct;
}
