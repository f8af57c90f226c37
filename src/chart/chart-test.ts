import type { ReleaseInfo } from './kc-chart.js';

/** The live cluster as a chart test sees it: plain objects, read-only. */
export interface TestContext<V> {
  release: ReleaseInfo & { namespace: string };
  values: V;
  /** Reads one object (namespace defaults to the release's); undefined when it does not exist. */
  get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<Record<string, unknown> | undefined>;
  /** Lists objects of a kind in the release's namespace, optionally by label selector. */
  list(apiVersion: string, kind: string, labelSelector?: string): Promise<Record<string, unknown>[]>;
}

/** A typed check that `kc test` runs against a live release; it passes unless it throws. */
export interface ChartTest<V> {
  name: string;
  run(t: TestContext<V>): Promise<void> | void;
}

/** Throws with `message` unless `condition` holds (for chart tests). */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
