// A third-party Helm chart as one release of a kc app: declared here, rendered by helm in kc's own process.
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';

/** Which Helm chart a HelmRelease deploys, and the values it is given in app code (typed by `kc import helm:`). */
export interface HelmReleaseProps<V extends object = Record<string, unknown>> {
  /** A Helm chart directory (relative to the project), `.tgz`, `REPO/CHART` of an added repository, or `oci://…`. */
  chart: string;
  /** Version or semver range, for `REPO/CHART` and `oci://` charts. */
  version?: string;
  /** Values for the chart (environment values and --set flags keyed by the release name go over them). */
  values?: V;
}

/** The request a HelmRelease hands kc: plain data only (it crosses the bundle boundary). */
export interface HelmReleaseRequest {
  chart: string;
  version?: string;
  values?: Record<string, unknown>;
}

/**
 * A Helm chart as a release of the app (its id is the release name). It renders nothing in the chart bundle: kc runs
 * `helm template` for it, so it orders (`addDependency`), waits, diffs and rolls back like every other release.
 */
export class HelmRelease<V extends object = Record<string, unknown>> extends Chart {
  /** What kc renders for this release (read by the bundle's runner, duck-typed). */
  readonly kcHelmRelease: HelmReleaseRequest;
  /** The values type, for kc.config.ts's typed environment values (a type only: never set). */
  declare readonly valuesType?: V;

  constructor(scope: Construct, id: string, props: HelmReleaseProps<V>) {
    super(scope, id);
    this.kcHelmRelease = JSON.parse(
      JSON.stringify({ chart: props.chart, version: props.version, values: props.values ?? {} }),
    ) as HelmReleaseRequest;
  }
}

/** The Helm chart a construct stands for, when it is a HelmRelease (from any copy of the SDK). */
export function helmReleaseOf(construct: unknown): HelmReleaseRequest | undefined {
  const request = (construct as { kcHelmRelease?: HelmReleaseRequest } | null)?.kcHelmRelease;
  return typeof request?.chart === 'string' ? request : undefined;
}
