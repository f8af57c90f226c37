import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { z } from 'zod';
import { appName, fullname, selectorLabels, standardLabels, type NameOverrides } from './names.js';
import { HOST_KEY, type ChartInfo, type KcHost, type ValuesIssue } from './protocol.js';
import type { ChartTest } from './chart-test.js';

/** A chart's identity, its values schema and, optionally, notes printed after a deploy. */
export interface ChartMeta<S extends z.ZodType> extends ChartInfo {
  schema: S;
  /** Text shown after a successful deploy and by `kc get notes`. */
  notes?: (values: z.output<S>, release: ReleaseInfo) => string;
  /** Checks `kc test` runs against the live release. */
  tests?: ChartTest<z.output<S>>[];
}

/** The release a chart instance is synthesized for. */
export interface ReleaseInfo {
  name: string;
  namespace?: string;
  env?: string;
}

/** Thrown (as data) when the merged values do not satisfy the chart's schema. */
export class ValuesInvalidError extends Error {
  readonly kcFailure: { kind: 'values'; release: string; issues: ValuesIssue[] };
  constructor(release: string, issues: ValuesIssue[]) {
    super(`values for release "${release}" are invalid`);
    this.kcFailure = { kind: 'values', release, issues };
  }
}

const jsonSchemas = new WeakMap<z.ZodType, Record<string, unknown>>();

/** The input-side JSON Schema of a zod schema (cached per schema). */
export function valuesJsonSchema(schema: z.ZodType): Record<string, unknown> {
  let json = jsonSchemas.get(schema);
  if (!json) {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    jsonSchemas.set(schema, json);
  }
  return json;
}

function currentHost(): KcHost | undefined {
  return (globalThis as Record<symbol, KcHost | undefined>)[HOST_KEY];
}

/**
 * Base class of a kc chart: a cdk8s Chart whose id is the release name and whose values are
 * validated by a zod schema after kc merges every layer (defaults, app props, environment, files, --set).
 */
export class KcChart<S extends z.ZodType = z.ZodType> extends Chart {
  /** The validated values. */
  readonly values: z.output<S>;
  /** The release this instance renders. */
  readonly release: ReleaseInfo;
  /** Name, version and schema of the chart. */
  readonly meta: ChartMeta<S>;

  constructor(scope: Construct, id: string, meta: ChartMeta<S>, props: z.input<S>) {
    const host = currentHost();
    const info: ChartInfo = { name: meta.name, version: meta.version };
    if (meta.appVersion) info.appVersion = meta.appVersion;
    super(scope, id, { disableResourceNameHashes: true, labels: standardLabels(id, info) });
    this.meta = meta;
    this.release = { name: id, namespace: host?.namespace, env: host?.env };
    const merged = host
      ? host.resolveValues({ release: id, chart: info, jsonSchema: valuesJsonSchema(meta.schema), props }).values
      : props;
    const parsed = meta.schema.safeParse(merged);
    if (!parsed.success) {
      throw new ValuesInvalidError(
        id,
        parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), code: i.code, message: i.message })),
      );
    }
    this.values = parsed.data;
  }

  /**
   * Helm's `nameOverride`/`fullnameOverride` of this instance: none by default. A chart whose values have them (as
   * `helm create`'s do) returns them here, and names and labels follow.
   */
  protected get nameOverrides(): NameOverrides {
    return {};
  }

  /** Helm's `<chart>.name`: the chart name, or its override; the `app.kubernetes.io/name` label. */
  get appName(): string {
    return appName(this.meta.name, this.nameOverrides);
  }

  /** Helm's fullname: the override, else the release name, or `<release>-<name>` when it does not contain the name. */
  get fullname(): string {
    return fullname(this.release.name, this.meta.name, this.nameOverrides);
  }

  /** Labels that select this release's pods. */
  get selectorLabels(): Record<string, string> {
    return selectorLabels(this.release.name, this.appName);
  }

  /** The labels every object of the chart gets (read by cdk8s as each object is created, so overrides apply). */
  override get labels(): Record<string, string> {
    // cdk8s's own constructor runs before meta and values exist; nothing is created in it.
    if (!this.meta || !this.values) return super.labels;
    return standardLabels(this.release.name, this.meta, this.appName);
  }

  /** Notes for this release, when the chart defines them. */
  renderNotes(): string | undefined {
    return this.meta.notes?.(this.values, this.release);
  }
}

/** True for any KcChart, whichever copy of kc's SDK created it. */
export function isKcChart(value: unknown): value is KcChart {
  return typeof value === 'object' && value !== null && 'meta' in value && 'values' in value && 'release' in value;
}
