// The documents `-o json|yaml` prints for commands that change a cluster (install, upgrade, rollback, uninstall,
// deploy). The shape is versioned (apiVersion kc.dev/v1) and stable: fields may be added, none renamed or removed.
// It is built only from what the operations return: object references, counts, hook outcomes and notes. Object
// contents appear only in a dry run's `manifest`, redacted as the text dry run is (displayObject).
import type { ChartInfo } from '../src/chart/protocol.js';
import type { DeployResult } from '../src/actions/deploy.js';
import type { FluxDeployResult } from '../src/actions/flux-deploy.js';
import type { OperationResult } from '../src/actions/release-operation.js';
import type { RollbackPreview } from '../src/actions/rollback.js';
import type { UninstallResult } from '../src/actions/uninstall.js';
import { displayObject } from '../src/diff/index.js';
import type { KubeObject, ObjectRef } from '../src/kube/types.js';

/** The apiVersion of every document here. */
export const KC_API_VERSION = 'kc.dev/v1';

/** The command that produced a result; a release of `kc deploy` is `deploy` (or `uninstall` when pruned). */
export type OperationName = 'install' | 'upgrade' | 'rollback' | 'uninstall' | 'deploy';

/** What happened to one object: `applied` (sent or already so), `replaced`, `repaired`, `deleted`, `left`, `kept`. */
export type ObjectAction = 'applied' | 'replaced' | 'repaired' | 'deleted' | 'left' | 'kept';

/** One object the operation touched (or, in a dry run, would touch). */
export interface ObjectEntry {
  apiVersion: string;
  kind: string;
  name: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  action: ObjectAction;
  /** Why it was repaired (drift) or left (not the release's); absent otherwise. */
  reason?: string;
}

/** One hook object that ran. */
export interface HookEntry {
  /** pre-install, post-upgrade, … */
  event: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  ok: boolean;
  reason: string;
}

/** The chart a release was deployed from. */
export interface ChartEntry {
  name: string;
  version: string;
  appVersion?: string;
  /** The OCI manifest digest it came from (`sha256:…`), for a chart pulled from a registry. */
  digest?: string;
  /** Where a packaged chart came from (`oci://host/repo/name:tag`). */
  source?: string;
}

/** The result of one operation on one release: `kind: OperationResult`. */
export interface OperationDocument {
  apiVersion: typeof KC_API_VERSION;
  kind: 'OperationResult';
  operation: OperationName;
  release: string;
  namespace: string;
  /** The revision now deployed (the existing one when nothing changed); absent for uninstall and dry runs. */
  revision?: number;
  /** The revision's status (deployed, or uninstalled); absent in dry runs. */
  status?: string;
  /** True when the cluster or the release history changed: false for a dry run and for "no changes". */
  changed: boolean;
  /** The revision's description ("Install complete", --description, …); absent for uninstall and dry runs. */
  description?: string;
  /** Present only for a dry run (nothing was changed): client, or server (validated by the API server). */
  dryRun?: 'client' | 'server';
  /** The chart, when the result carries it. */
  chart?: ChartEntry;
  /** rollback: the revision whose manifest is applied again, when the result carries it (always in a dry run). */
  rollbackTo?: number;
  /** Objects in apply order, then deleted, left and kept ones: one entry per object, its most telling action. */
  objects: ObjectEntry[];
  /** How many of the applied objects the cluster already held as they are (not sent again). */
  unchanged: number;
  /** Hooks that ran, in order. */
  hooks: HookEntry[];
  /** The chart's notes (NOTES), when it has any. */
  notes?: string;
  /** Dry runs of install, upgrade and rollback: the objects as they would be applied, Secret values redacted. */
  manifest?: KubeObject[];
  /** uninstall: whether the release's records were kept (--keep-history). */
  historyKept?: boolean;
  /** uninstall --ignore-not-found: true when there was no such release. */
  notFound?: boolean;
  /** uninstall: true when its records could not be decrypted (objects found by annotation, no hook ran). */
  unreadable?: boolean;
}

/** Flux's part of a deploy (or rollback) of an environment Flux delivers. */
export interface FluxEntry {
  /** `oci://HOST/PATH` the environment was published to, its tag and the manifest digest Flux was pointed at. */
  repository: string;
  tag: string;
  digest: string;
  /** The environment's revision (kc history --env). */
  revision: number;
  /** True when that digest was deployed already: no revision was added. */
  unchanged: boolean;
  /** rollback --env: the revision whose digest Flux was pointed back at. */
  rolledBackTo?: number;
  /** Each release's state as Flux reported it when kc stopped waiting. */
  states: { release: string; state: string; reason?: string; message?: string; appliedRevision?: string }[];
  /** Releases the app no longer defines, whose Kustomizations were deleted. */
  removed: string[];
}

/** The result of `kc deploy` (or `kc rollback --env` of a Flux environment): `kind: DeployResult`. */
export interface DeployDocument {
  apiVersion: typeof KC_API_VERSION;
  kind: 'DeployResult';
  env: string;
  namespace: string;
  /** The kube context used; absent for a client dry run, which contacts no cluster. */
  context?: string;
  dryRun?: 'client' | 'server';
  /** Each release, in dependency order; releases pruned from the app follow with operation `uninstall`. */
  releases: OperationDocument[];
  /** Present when Flux delivers the environment (releases is then empty). */
  flux?: FluxEntry;
}

/** Several documents (kc uninstall A B): `kind: List`, as kubectl lists several objects. */
export interface ListDocument {
  apiVersion: typeof KC_API_VERSION;
  kind: 'List';
  items: OperationDocument[];
}

/** An operation's outcome as src returns it; `chart` when it carries one. */
export type OperationInput = OperationResult & { chart?: ChartInfo };

const refFields = (ref: ObjectRef) => ({
  apiVersion: ref.apiVersion,
  kind: ref.kind,
  name: ref.name,
  namespace: ref.namespace,
});
const entry = (ref: ObjectRef, action: ObjectAction, reason?: string): ObjectEntry => ({
  ...refFields(ref),
  action,
  reason,
});
const key = (ref: ObjectRef) => `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;

function chartEntry(chart: ChartInfo | undefined): ChartEntry | undefined {
  if (!chart) return undefined;
  const { name, version, appVersion, digest, source } = chart;
  return { name, version, appVersion, digest, source };
}

function document(
  fields: Omit<OperationDocument, 'apiVersion' | 'kind' | 'hooks' | 'unchanged'> & Partial<OperationDocument>,
): OperationDocument {
  const { operation, release, namespace, revision, status, changed, description, dryRun, chart, rollbackTo } = fields;
  return {
    apiVersion: KC_API_VERSION,
    kind: 'OperationResult',
    operation,
    release,
    namespace,
    revision,
    status,
    changed,
    description,
    dryRun,
    chart,
    rollbackTo,
    objects: fields.objects,
    unchanged: fields.unchanged ?? 0,
    hooks: fields.hooks ?? [],
    notes: fields.notes || undefined,
    manifest: fields.manifest,
    historyKept: fields.historyKept,
    notFound: fields.notFound,
    unreadable: fields.unreadable,
  };
}

/** The document of an install, upgrade, rollback or deployed release, from its OperationResult. */
export function operationDocument(result: OperationInput, operation: OperationName): OperationDocument {
  // One entry per object: a replaced or repaired object is also among the applied ones.
  const special = new Map<string, ObjectEntry>();
  for (const d of result.drifted ?? []) special.set(key(d.ref), entry(d.ref, 'repaired', d.reason));
  for (const ref of result.replaced ?? []) special.set(key(ref), entry(ref, 'replaced'));
  const applied = result.applied.map((ref) => special.get(key(ref)) ?? entry(ref, 'applied'));
  const seen = new Set(result.applied.map(key));
  const extra = [...special.entries()].filter(([k]) => !seen.has(k)).map(([, e]) => e);
  const objects = [
    ...applied,
    ...extra,
    ...result.pruned.map((ref) => entry(ref, 'deleted')),
    ...result.left.map((l) => entry(l.ref, 'left', l.reason)),
  ];
  return document({
    operation,
    release: result.release,
    namespace: result.namespace,
    revision: result.revision,
    status: result.status,
    changed: !result.noChange,
    description: result.description,
    chart: chartEntry(result.chart),
    objects,
    unchanged: result.unchanged ?? 0,
    hooks: result.hooks.map((h) => ({ event: h.event, ...refFields(h.ref), ok: h.ok, reason: h.reason })),
    notes: result.notes,
  });
}

/** Objects as a dry run shows them: no managedFields, Secret values redacted unless showSecrets. */
function shown(objects: readonly KubeObject[], showSecrets: boolean): KubeObject[] {
  return objects.map((o) => displayObject(o, showSecrets));
}

const refOfObject = (o: KubeObject): ObjectRef => ({
  apiVersion: String(o.apiVersion ?? ''),
  kind: String(o.kind ?? ''),
  name: String(o.metadata?.name ?? ''),
  namespace: typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : undefined,
});

/** What an install/upgrade (or a release of deploy) dry run would apply. */
export interface RenderedPlan {
  release: string;
  namespace: string;
  objects: readonly KubeObject[];
  chart?: ChartInfo;
  notes?: string;
}

/** The document of an install, upgrade or deploy dry run: the objects it would apply, redacted. */
export function planDocument(
  plan: RenderedPlan,
  operation: OperationName,
  dryRun: 'client' | 'server',
  showSecrets: boolean,
): OperationDocument {
  return document({
    operation,
    release: plan.release,
    namespace: plan.namespace,
    changed: false,
    dryRun,
    chart: chartEntry(plan.chart),
    objects: plan.objects.map((o) => entry(refOfObject(o), 'applied')),
    notes: plan.notes,
    manifest: shown(plan.objects, showSecrets),
  });
}

/** The document of a rollback dry run: what it would apply, delete and leave. */
export function rollbackPreviewDocument(
  p: RollbackPreview,
  dryRun: 'client' | 'server',
  showSecrets: boolean,
): OperationDocument {
  return document({
    operation: 'rollback',
    release: p.release,
    namespace: p.namespace,
    changed: false,
    dryRun,
    rollbackTo: p.to,
    objects: [
      ...p.objects.map((o) => entry(refOfObject(o), 'applied')),
      ...p.prune.map((ref) => entry(ref, 'deleted')),
      ...p.left.map((l) => entry(l.ref, 'left', l.reason)),
    ],
    manifest: shown(p.objects, showSecrets),
  });
}

/** The document of one release's uninstall (or its dry run). */
export function uninstallDocument(r: UninstallResult): OperationDocument {
  return document({
    operation: 'uninstall',
    release: r.release,
    namespace: r.namespace,
    status: r.dryRun || r.notFound ? undefined : 'uninstalled',
    changed: !r.dryRun && !r.notFound,
    dryRun: r.dryRun ? 'client' : undefined,
    objects: [
      ...r.deleted.map((ref) => entry(ref, 'deleted')),
      ...r.kept.map((ref) => entry(ref, 'kept')),
      ...r.left.map((l) => entry(l.ref, 'left', l.reason)),
    ],
    historyKept: r.notFound ? undefined : r.historyKept,
    notFound: r.notFound || undefined,
    unreadable: r.unreadable || undefined,
  });
}

/** One document for one release, a List for several (as kubectl prints one object or a List). */
export function oneOrList(items: OperationDocument[]): OperationDocument | ListDocument {
  return items.length === 1 ? items[0] : { apiVersion: KC_API_VERSION, kind: 'List', items };
}

function fluxEntry(flux: FluxDeployResult & { to?: number }): FluxEntry {
  return {
    repository: flux.published.repository,
    tag: flux.published.tag,
    digest: flux.published.digest,
    revision: flux.revision,
    unchanged: flux.unchanged,
    rolledBackTo: flux.to,
    states: flux.states.map((s) => ({
      release: s.release,
      state: s.state,
      reason: s.reason,
      message: s.message,
      appliedRevision: s.appliedRevision,
    })),
    removed: [...flux.removed],
  };
}

/** The document of `kc rollback --env` of an environment Flux delivers. */
export function fluxRollbackDocument(done: FluxDeployResult & { to: number }): DeployDocument {
  const { env, namespace, context } = done;
  return {
    apiVersion: KC_API_VERSION,
    kind: 'DeployResult',
    env,
    namespace,
    context,
    releases: [],
    flux: fluxEntry(done),
  };
}

/** The document of `kc deploy`: each release's result (or, dry, what it would apply), or Flux's part. */
export function deployDocument(
  result: DeployResult,
  dryRun: 'client' | 'server' | undefined,
  showSecrets: boolean,
): DeployDocument {
  const head: Pick<DeployDocument, 'apiVersion' | 'kind' | 'env' | 'namespace'> = {
    apiVersion: KC_API_VERSION,
    kind: 'DeployResult',
    env: result.env,
    namespace: result.namespace,
  };
  if (result.dryRun && dryRun) {
    const synthesized = new Map((result.synthesized ?? []).map((r) => [r.name, r]));
    const releases = result.dryRun.map((r) => {
      const s = synthesized.get(r.release);
      const plan = {
        release: r.release,
        namespace: result.namespace,
        objects: r.objects,
        chart: s?.chart,
        notes: s?.notes,
      };
      return planDocument(plan, 'deploy', dryRun, showSecrets);
    });
    return { ...head, context: dryRun === 'client' ? undefined : result.context, dryRun, releases };
  }
  if (result.flux) return { ...head, context: result.context, releases: [], flux: fluxEntry(result.flux) };
  const releases = [
    ...result.releases.map((r) => operationDocument(r, 'deploy')),
    ...result.removed.map(uninstallDocument),
  ];
  return { ...head, context: result.context, releases };
}
