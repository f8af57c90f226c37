// The documents `kc get manifest|hooks|notes|all -o json|yaml` print (apiVersion kc.dev/v1, stable as
// operation-json.ts's: fields may be added, none renamed or removed). Objects are shown as the text output shows
// them (displayObject: no managedFields, Secret values redacted unless --show-secrets), values as `kc get values`.
import { metadataOf, valuesOf, type ReleaseMetadata } from '../src/actions/get.js';
import { displayObject } from '../src/diff/index.js';
import type { KubeObject } from '../src/kube/types.js';
import type { ReleaseRecord } from '../src/release/index.js';
import { KC_API_VERSION } from './operation-json.js';

/** A revision's objects (`kc get manifest`) or hook objects (`kc get hooks`): `kind: List`, as kubectl lists them. */
export interface ObjectListDocument {
  apiVersion: typeof KC_API_VERSION;
  kind: 'List';
  /** In the order the revision stored them (install order for the manifest). */
  items: KubeObject[];
}

/** A revision's notes (`kc get notes`): `kind: Notes`. */
export interface NotesDocument {
  apiVersion: typeof KC_API_VERSION;
  kind: 'Notes';
  release: string;
  namespace: string;
  revision: number;
  /** Absent when the chart has no notes. */
  notes?: string;
}

/** Every part of a revision (`kc get all`): `kind: Revision`. */
export interface RevisionDocument {
  apiVersion: typeof KC_API_VERSION;
  kind: 'Revision';
  /** As `kc get metadata -o json` prints it. */
  metadata: ReleaseMetadata;
  /** The user-supplied values (as the text's USER-SUPPLIED VALUES), secret fields redacted unless --show-secrets. */
  values: Record<string, unknown>;
  /** The objects, as `kc get manifest -o json` lists them. */
  manifest: KubeObject[];
  /** The hook and test objects, as `kc get hooks -o json` lists them. */
  hooks: KubeObject[];
  /** Absent when the chart has no notes. */
  notes?: string;
}

const shown = (objects: readonly KubeObject[], showSecrets: boolean) =>
  objects.map((o) => displayObject(o, showSecrets));

/** The List of `kc get manifest` (or, with `hooks`, of `kc get hooks`). */
export function objectListDocument(record: ReleaseRecord, showSecrets: boolean, hooks = false): ObjectListDocument {
  const items = shown(hooks ? record.hookObjects : record.objects, showSecrets);
  return { apiVersion: KC_API_VERSION, kind: 'List', items };
}

/** The document of `kc get notes`. */
export function notesDocument(record: ReleaseRecord): NotesDocument {
  const { name: release, namespace, revision } = record;
  return { apiVersion: KC_API_VERSION, kind: 'Notes', release, namespace, revision, notes: record.notes || undefined };
}

/** The document of `kc get all`. */
export function revisionDocument(record: ReleaseRecord, showSecrets: boolean): RevisionDocument {
  return {
    apiVersion: KC_API_VERSION,
    kind: 'Revision',
    metadata: metadataOf(record),
    values: valuesOf(record, { showSecrets }),
    manifest: shown(record.objects, showSecrets),
    hooks: shown(record.hookObjects, showSecrets),
    notes: record.notes || undefined,
  };
}
