// The document `kc diff -o json|yaml` prints: kind Diff, apiVersion kc.dev/v1 (stable as operation-json.ts's: fields
// may be added, none renamed or removed). Built only from what src/diff returns: each object's unified diff is the
// text `kc diff` prints, redacted the same way (Secret values as placeholders unless --show-secrets).
import type { DiffResult } from '../src/actions/diff.js';
import type { ChangeAction, DiffSummary, ObjectChange } from '../src/diff/index.js';
import { KC_API_VERSION } from './operation-json.js';

/** What a deploy or upgrade would do to one object. */
export type DiffChange = 'added' | 'removed' | 'changed' | 'unchanged';

/** One object of a release's diff. */
export interface DiffObjectEntry {
  apiVersion: string;
  kind: string;
  name: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  change: DiffChange;
  /** True when the update is refused as immutable and the deploy would delete and create the object again. */
  replace?: boolean;
  /** The update is refused as immutable: the server's reasons, and why it would not be replaced (then it fails). */
  immutable?: { replace: boolean; details: string[]; refusal?: string };
  /** Fields another field manager owns, one line each: applying needs --force-conflicts. */
  conflicts?: string[];
  /** The unified diff of the object's YAML, live to desired, as `kc diff` prints it; empty when unchanged. */
  diff: string;
}

/** An object the deploy would not delete because the live one is not the release's. */
export interface DiffLeftEntry {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  reason: string;
}

/** One release's part of a diff. */
export interface DiffReleaseEntry {
  release: string;
  namespace: string;
  /** True when the app no longer defines the release: the deploy would uninstall it. */
  removed?: boolean;
  /** The revision whose chart and values are deployed already: the changes were made outside kc. */
  drifted?: number;
  /** The release's oci:// chart reference now names another digest than the one deployed. */
  chartMoved?: { source: string; deployed: string; now: string };
  /** True when anything would change (as the text's "No changes." is absent). */
  hasChanges: boolean;
  /** How many objects of each change, as the text's Plan line counts them. */
  counts: { added: number; changed: number; removed: number; unchanged: number; replaced: number };
  /** Every object, changed or not: in desired order, then removed ones sorted by reference. */
  objects: DiffObjectEntry[];
  /** Objects that would be left in place (not deleted). */
  left: DiffLeftEntry[];
}

/** The result of `kc diff`: `kind: Diff`. */
export interface DiffDocument {
  apiVersion: typeof KC_API_VERSION;
  kind: 'Diff';
  /** True when deploy or upgrade would change anything: what `--exit-code` exits 20 for. */
  hasChanges: boolean;
  releases: DiffReleaseEntry[];
}

const CHANGE: Record<ChangeAction, DiffChange> = {
  create: 'added',
  delete: 'removed',
  update: 'changed',
  unchanged: 'unchanged',
};

function objectEntry(c: ObjectChange): DiffObjectEntry {
  const { apiVersion, kind, name, namespace } = c.ref;
  const immutable = c.immutable && {
    replace: c.immutable.replace,
    details: [...c.immutable.details],
    refusal: c.immutable.refusal,
  };
  return {
    apiVersion,
    kind,
    name,
    namespace,
    change: CHANGE[c.action],
    replace: c.immutable?.replace || undefined,
    immutable,
    conflicts: c.conflicts?.length ? [...c.conflicts] : undefined,
    diff: c.patch,
  };
}

function counts(summary: DiffSummary): DiffReleaseEntry['counts'] {
  const { create, update, delete: removed, unchanged } = summary.counts;
  const replaced = summary.changes.filter((c) => c.immutable?.replace).length;
  return { added: create, changed: update, removed, unchanged, replaced };
}

/** The document of `kc diff`, from what the diff action returns. */
export function diffDocument(result: DiffResult): DiffDocument {
  const releases = result.releases.map((r): DiffReleaseEntry => ({
    release: r.release,
    namespace: r.namespace,
    removed: r.removed || undefined,
    drifted: r.drifted,
    chartMoved: r.chartMoved && { source: r.chartMoved.source, deployed: r.chartMoved.deployed, now: r.chartMoved.now },
    hasChanges: Boolean(r.removed || r.summary.hasChanges || r.chartMoved),
    counts: counts(r.summary),
    objects: r.summary.changes.map(objectEntry),
    left: (r.left ?? []).map(({ ref, reason }) => ({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      name: ref.name,
      namespace: ref.namespace,
      reason,
    })),
  }));
  return { apiVersion: KC_API_VERSION, kind: 'Diff', hasChanges: result.hasChanges, releases };
}
