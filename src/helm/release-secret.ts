// Helm 3/4 release records as the Secret driver stores them (helm.sh/helm pkg/storage/driver/secrets.go, util.go):
// a Secret `sh.helm.release.v1.<release>.v<revision>` of type helm.sh/release.v1 whose data.release is
// base64(gzip(JSON)); the Secret's own data encoding base64s that text once more on the wire.
import zlib from 'node:zlib';
import { KcError } from '../errors/index.js';
import * as z from '../zod-mini.js';

/** The Secret type of Helm's release records. */
export const HELM_RELEASE_TYPE = 'helm.sh/release.v1';

/** The name of the Secret holding revision `revision` of Helm release `release`. */
export function helmSecretName(release: string, revision: number): string {
  return `sh.helm.release.v1.${release}.v${revision}`;
}

/** Every status Helm writes (pkg/release/common/status.go). */
export const HELM_STATUSES = [
  'unknown',
  'deployed',
  'uninstalled',
  'superseded',
  'failed',
  'uninstalling',
  'pending-install',
  'pending-upgrade',
  'pending-rollback',
] as const;

/** The status of a Helm revision. */
export type HelmStatus = (typeof HELM_STATUSES)[number];

/** A Helm hook as its record keeps it: the rendered manifest and the parsed annotations. */
export interface HelmHook {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: string[];
  weight: number;
  deletePolicies: string[];
}

/** What kc reads of one revision of a Helm release. */
export interface HelmRelease {
  name: string;
  namespace: string;
  revision: number;
  status: HelmStatus;
  firstDeployed: string;
  lastDeployed: string;
  description: string;
  notes?: string;
  chart: { name: string; version: string; appVersion?: string };
  /** The chart's default values (values.yaml). */
  chartValues: Record<string, unknown>;
  /** The values the user supplied (-f, --set). */
  config: Record<string, unknown>;
  /** The rendered YAML Helm applied (hooks not included). */
  manifest: string;
  hooks: HelmHook[];
}

const values = z.optional(z.nullable(z.record(z.string(), z.unknown())));
// Helm writes Go zero times ("0001-01-01T00:00:00Z") for times never set; any RFC 3339 text is accepted.
const time = z.optional(z.string().check(z.refine((t) => !Number.isNaN(Date.parse(t)), 'must be an RFC 3339 time')));

const hookSchema = z.object({
  name: z.string(),
  kind: z.optional(z.string()),
  path: z.optional(z.string()),
  manifest: z.string(),
  events: z.optional(z.nullable(z.array(z.string()))),
  weight: z.optional(z.number()),
  delete_policies: z.optional(z.nullable(z.array(z.string()))),
});

const releaseSchema = z.object({
  name: z.string().check(z.minLength(1)),
  namespace: z.string().check(z.minLength(1)),
  version: z.number().check(z.int(), z.positive()),
  info: z.object({
    first_deployed: time,
    last_deployed: time,
    description: z.optional(z.string()),
    status: z.enum(HELM_STATUSES),
    notes: z.optional(z.string()),
  }),
  chart: z.object({
    metadata: z.object({
      name: z.string().check(z.minLength(1)),
      version: z.string(),
      appVersion: z.optional(z.string()),
    }),
    values,
  }),
  config: values,
  manifest: z.optional(z.string()),
  hooks: z.optional(z.nullable(z.array(hookSchema))),
});

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function invalid(what: string, why: string, details?: string[]): KcError {
  return new KcError('HELM_RECORD_INVALID', `Helm release record ${what} cannot be read: ${why}`, {
    details,
    hint:
      'kc reads records written by Helm 3 and 4 (Secret driver); ' +
      'check the Secret with `helm history` and `kubectl get secret`',
  });
}

/** An ISO time from Helm's RFC 3339 text; Go's zero time and absent times are undefined. */
function isoTime(text: string | undefined): string | undefined {
  if (!text || text.startsWith('0001-01-01')) return undefined;
  return new Date(text).toISOString();
}

/**
 * Decodes the `release` data of a Helm record Secret as the API returns it (base64 of Helm's base64 of gzipped
 * JSON; Helm also accepts JSON that was not gzipped), validated; `what` names the Secret in errors.
 */
export function decodeHelmRelease(data: string, what: string): HelmRelease {
  const text = Buffer.from(data, 'base64').toString('latin1').replace(/\s+/g, '');
  if (!text || !BASE64.test(text)) throw invalid(what, 'its data is not base64 text (not a Helm record)');
  const bytes = Buffer.from(text, 'base64');
  let json: string;
  try {
    json = (bytes.subarray(0, 3).equals(GZIP_MAGIC) ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
  } catch {
    throw invalid(what, 'its gzip data is damaged');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw invalid(what, 'it holds no JSON (an unknown format)');
  }
  const parsed = releaseSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw invalid(what, 'it is not a Helm release (fields missing or of the wrong type)', details);
  }
  const r = parsed.data;
  const lastDeployed = isoTime(r.info.last_deployed) ?? isoTime(r.info.first_deployed) ?? new Date(0).toISOString();
  const { name, version, appVersion } = r.chart.metadata;
  return {
    name: r.name,
    namespace: r.namespace,
    revision: r.version,
    status: r.info.status,
    firstDeployed: isoTime(r.info.first_deployed) ?? lastDeployed,
    lastDeployed,
    description: r.info.description ?? '',
    ...(r.info.notes ? { notes: r.info.notes } : {}),
    chart: { name, version, ...(appVersion ? { appVersion } : {}) },
    chartValues: r.chart.values ?? {},
    config: r.config ?? {},
    manifest: r.manifest ?? '',
    hooks: (r.hooks ?? []).map((h) => ({
      name: h.name,
      kind: h.kind ?? '',
      path: h.path ?? '',
      manifest: h.manifest,
      events: h.events ?? [],
      weight: h.weight ?? 0,
      deletePolicies: h.delete_policies ?? [],
    })),
  };
}
