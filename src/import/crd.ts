// Reads CustomResourceDefinitions out of YAML or JSON text (one or many documents, Lists included), checked enough
// that code generation and lint can rely on group, kind, plural and each served version's schema.
import { parseAllDocuments } from 'yaml';
import { KcError } from '../errors/index.js';

/** One served version of a CRD and its structural schema (absent when the CRD gives none). */
export interface CrdVersion {
  name: string;
  schema?: Record<string, unknown>;
}

/** What `kc import crd` needs of a CustomResourceDefinition. */
export interface CrdDefinition {
  /** `<plural>.<group>`, the CRD's object name. */
  name: string;
  group: string;
  kind: string;
  scope: 'Namespaced' | 'Cluster';
  /** Served versions, in the CRD's own order. */
  versions: CrdVersion[];
  /** Where it was read from, for messages: a file, a URL or `cluster`. */
  source: string;
}

/** The CRDs of one input, and the kinds of the other objects it held (which were skipped). */
export interface CrdReadResult {
  crds: CrdDefinition[];
  skipped: string[];
}

const CRD_KIND = 'CustomResourceDefinition';
const CRD_GROUP = 'apiextensions.k8s.io/';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function invalid(source: string, message: string, hint: string): KcError {
  return new KcError('CRD_INVALID', `${source}: ${message}`, { hint });
}

/** Every object of the documents, with the items of `kind: List` (and `...List`) objects spread out. */
function objectsOf(docs: unknown[]): Json[] {
  const out: Json[] = [];
  for (const doc of docs) {
    if (!isRecord(doc)) continue;
    if (typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items)) {
      out.push(...objectsOf(doc.items));
    } else out.push(doc);
  }
  return out;
}

/** Parses one CustomResourceDefinition object (apiextensions.k8s.io/v1, or v1beta1's spec.version/validation). */
export function crdFromObject(object: Json, source: string): CrdDefinition {
  const where = `CustomResourceDefinition ${text((object.metadata as Json | undefined)?.name) ?? '(unnamed)'}`;
  const spec = isRecord(object.spec) ? object.spec : {};
  const names = isRecord(spec.names) ? spec.names : {};
  const group = text(spec.group);
  const kind = text(names.kind);
  const plural = text(names.plural);
  const fix = 'pass the CRD exactly as the operator ships it (kubectl get crd NAME -o yaml shows an installed one)';
  if (!group || !kind || !plural) {
    const missing = [!group && 'spec.group', !kind && 'spec.names.kind', !plural && 'spec.names.plural'].filter(
      Boolean,
    );
    throw invalid(source, `${where} has no ${missing.join(', ')}`, fix);
  }
  const shared = isRecord(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
  const raw = Array.isArray(spec.versions) ? spec.versions : text(spec.version) ? [{ name: spec.version }] : [];
  const versions: CrdVersion[] = [];
  for (const v of raw) {
    if (!isRecord(v) || !text(v.name)) throw invalid(source, `${where} has a version without a name`, fix);
    if (v.served === false) continue;
    if (versions.some((seen) => seen.name === v.name)) {
      throw invalid(source, `${where} lists version ${String(v.name)} twice`, fix);
    }
    const own = isRecord(v.schema) ? v.schema.openAPIV3Schema : undefined;
    const schema = own ?? shared;
    versions.push({ name: v.name as string, schema: isRecord(schema) ? schema : undefined });
  }
  if (versions.length === 0) throw invalid(source, `${where} serves no version`, fix);
  const scope = spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced';
  return { name: `${plural}.${group}`, group, kind, scope, versions, source };
}

function describeKinds(objects: Json[]): string {
  if (objects.length === 0) return 'no objects';
  const counts = new Map<string, number>();
  for (const o of objects) {
    const kind = `${text(o.kind) ?? '(no kind)'}${text(o.apiVersion) ? ` (${String(o.apiVersion)})` : ''}`;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => (n > 1 ? `${n}× ${k}` : k)).join(', ');
}

/**
 * The CustomResourceDefinitions in a YAML or JSON text. Other objects are skipped (a bundle of CRDs and a
 * Deployment imports its CRDs); an input with no CRD at all is CRD_INVALID, naming what it holds instead.
 */
export function readCrds(input: string, source: string): CrdReadResult {
  const docs = parseAllDocuments(input, { uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const docErrors = list.flatMap((d) => d.errors);
  if (docErrors.length > 0) {
    const first = docErrors[0].message.split('\n')[0];
    throw invalid(source, `is not valid YAML or JSON: ${first}`, 'fix the syntax, or pass the CRD file itself');
  }
  const objects = objectsOf(list.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown));
  const isCrd = (o: Json) => o.kind === CRD_KIND && String(o.apiVersion ?? '').startsWith(CRD_GROUP);
  const crds = objects.filter(isCrd).map((o) => crdFromObject(o, source));
  const others = objects.filter((o) => !isCrd(o));
  if (crds.length === 0) {
    throw invalid(
      source,
      `holds no CustomResourceDefinition (found ${describeKinds(others)})`,
      [
        'pass the CRD manifest (kind: CustomResourceDefinition, apiVersion: apiextensions.k8s.io/v1),',
        'e.g. the crds/*.yaml an operator ships; for a CRD installed in a cluster use --from-cluster NAME',
      ].join(' '),
    );
  }
  return { crds, skipped: others.map((o) => text(o.kind) ?? '(no kind)') };
}
