// Kubernetes OpenAPI v3 documents reduced to what validation reads. Shared by `kc lint --server` and
// scripts/update-kube-schema.mjs, so the shipped file and a live server's schemas have one shape.

/** One schema node of the compact form; `$ref` holds a bare component name. */
export interface OpenApiSchema {
  type?: string;
  format?: string;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  items?: OpenApiSchema;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  $ref?: string;
  allOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

/** The schemas of one Kubernetes version: every component by name, and the group-versions they came from. */
export interface KubeSchemaSet {
  /** The server's gitVersion, e.g. v1.36.3. */
  kubernetesVersion: string;
  /** Group-versions the schemas cover, e.g. `v1`, `apps/v1`. */
  groupVersions: string[];
  schemas: Record<string, OpenApiSchema>;
}

/** One `/openapi/v3/<group-version>` document, as the API server serves it. */
export interface OpenApiDocument {
  components?: { schemas?: Record<string, unknown> };
}

const REF_PREFIX = '#/components/schemas/';

// Everything validation does not read (descriptions, defaults, patch strategies, CEL rules) is dropped.
const KEEP_SCALARS = [
  'type', 'format', 'required', 'enum', 'nullable', 'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-group-version-kind',
] as const;
const KEEP_FORMATS = new Set(['int-or-string']);

function compactNode(raw: unknown): OpenApiSchema {
  if (typeof raw !== 'object' || raw === null) return {};
  const node = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (typeof node.$ref === 'string') out.$ref = node.$ref.startsWith(REF_PREFIX) ? node.$ref.slice(REF_PREFIX.length) : node.$ref;
  for (const key of KEEP_SCALARS) {
    if (node[key] === undefined) continue;
    if (key === 'format' && !KEEP_FORMATS.has(String(node[key]))) continue;
    out[key] = node[key];
  }
  if (node.properties && typeof node.properties === 'object') {
    const props = node.properties as Record<string, unknown>;
    out.properties = Object.fromEntries(Object.keys(props).sort().map((k) => [k, compactNode(props[k])]));
  }
  if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
  else if (node.additionalProperties) out.additionalProperties = compactNode(node.additionalProperties);
  if (node.items) out.items = compactNode(node.items);
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    if (Array.isArray(node[key])) out[key] = (node[key] as unknown[]).map(compactNode);
  }
  // The server wraps every $ref that has a sibling (description, default) in a one-element allOf.
  const allOf = out.allOf as OpenApiSchema[] | undefined;
  if (allOf?.length === 1 && allOf[0].$ref && Object.keys(allOf[0]).length === 1 && !out.$ref) {
    out.$ref = allOf[0].$ref;
    delete out.allOf;
  }
  return out as OpenApiSchema;
}

/** Merges the component schemas of several group-version documents into one compact, key-sorted set. */
export function compactOpenApi(docs: Record<string, OpenApiDocument>, kubernetesVersion: string): KubeSchemaSet {
  const merged: Record<string, unknown> = {};
  for (const doc of Object.values(docs)) Object.assign(merged, doc.components?.schemas ?? {});
  const schemas = Object.fromEntries(Object.keys(merged).sort().map((name) => [name, compactNode(merged[name])]));
  const groupVersions = Object.keys(docs)
    .map((p) => p.replace(/^apis\//, '').replace(/^api\//, ''))
    .sort();
  return { kubernetesVersion, groupVersions, schemas };
}

/** The group-version document paths of an `/openapi/v3` index (`api/v1`, `apis/apps/v1`, ...). */
export function groupVersionPaths(index: { paths?: Record<string, unknown> }): string[] {
  return Object.keys(index.paths ?? {})
    .filter((p) => p === 'api/v1' || /^apis\/[^/]+\/[^/]+$/.test(p))
    .sort();
}

/** The name of the component schema for each `group/version/kind` (`apps/v1/Deployment`; core as `v1/Pod`). */
export function kindIndex(set: KubeSchemaSet): Map<string, string> {
  const index = new Map<string, string>();
  for (const [name, schema] of Object.entries(set.schemas)) {
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      // A kind listed by several schemas (e.g. DeleteOptions) keeps the first, alphabetically.
      if (!index.has(`${apiVersion}/${gvk.kind}`)) index.set(`${apiVersion}/${gvk.kind}`, name);
    }
  }
  return index;
}
