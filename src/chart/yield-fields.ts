import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';

/** The annotation kc reads for the fields an object yields (kept equal to src/kube/yield.ts, which a test checks). */
export const YIELD_FIELDS_ANNOTATION = 'kc.dev/yield-fields';

/**
 * Leaves fields of an object (dotted paths such as `spec.replicas`) to other managers: kc sets them when it creates
 * the object and never sends them again, so an HPA's or `kubectl scale`'s value survives every deploy.
 */
export function yieldFields<T extends IConstruct>(construct: T, ...paths: string[]): T {
  const object = ApiObject.of(construct);
  const current = (object.metadata.toJson().annotations as Record<string, string> | undefined)?.[
    YIELD_FIELDS_ANNOTATION
  ];
  const all = new Set([...(current ? current.split(',') : []), ...paths].map((p) => p.trim()).filter(Boolean));
  object.metadata.addAnnotation(YIELD_FIELDS_ANNOTATION, [...all].sort().join(','));
  return construct;
}
